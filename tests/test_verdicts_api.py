"""/api/v1/units/{id} carries each quality figure with its `benchmark` and `verdict`, by the rule
of `plov.supervision.verdicts`; the OpenAPI document describes them."""

from __future__ import annotations

from decimal import Decimal

from plov.supervision.models import QualityResult
from plov.units.models import Unit
from tests import country as c
from tests.test_opendata import shown  # noqa: F401  (the published small country)


def add(sor_id: str, value: str, **kwargs) -> None:
    defaults = {
        "kind": QualityResult.Kind.INDICATOR,
        "code": "AEI-03",
        "name": "Beboere med tryksår",
        "period": "2025",
        "unit_of_measure": "%",
        "national_average": Decimal("4"),
        "better": QualityResult.Better.LOWER,
        "source": "Sundhedsdatastyrelsen",
    }
    QualityResult.objects.create(
        unit=Unit.objects.get(sor_id=sor_id), value=Decimal(value), **{**defaults, **kwargs}
    )


def test_each_figure_has_its_benchmark_and_verdict(shown, client):  # noqa: F811
    add(c.SOLGAARDEN, "5.4")
    add(c.SOLGAARDEN, "3.0", period="2024")  # an older period: not listed
    add(
        c.SOLGAARDEN,
        "80",
        kind=QualityResult.Kind.SATISFACTION,
        code="BTU-01",
        name="Tilfredse med hjælpen samlet set",
        national_average=Decimal("86"),
        better=QualityResult.Better.HIGHER,
        respondents=400,
    )
    add(c.SOLGAARDEN, "12", code="X-1", name="Uden retning", better="", national_average=None)
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    body = client.get(f"/api/v1/units/{solgaarden.pk}").json()
    figures = {f["code"]: f for f in body["quality"]}
    assert list(figures) == ["AEI-03", "X-1", "BTU-01"]  # indicators, then satisfaction

    ulcers = figures["AEI-03"]
    assert (ulcers["value"], ulcers["period"], ulcers["better"]) == (5.4, "2025", "lower")
    assert ulcers["verdict"] == "worse"
    assert ulcers["benchmark"]["national"] == {
        "average": 4.0,
        "units": None,
        "verdict": "worse",
        "reason": None,
        "rule": "threshold",
        "difference": 1.4,
        "margin": 0.4,
        "text": "Dårligere end landsgennemsnittet",
    }
    # Solgården is the only care home in Aarhus with the figure: no municipal average, and why
    municipal = ulcers["benchmark"]["municipality"]
    assert (municipal["verdict"], municipal["reason"], municipal["units"]) == (
        "unknown",
        "too_few_units",
        1,
    )

    satisfaction = figures["BTU-01"]
    assert satisfaction["respondents"] == 400 and satisfaction["verdict"] == "worse"
    assert satisfaction["benchmark"]["national"]["rule"] == "confidence_interval"
    assert round(satisfaction["benchmark"]["national"]["margin"], 1) == 3.4

    undirected = figures["X-1"]
    assert undirected["better"] is None and undirected["verdict"] == "unknown"
    assert undirected["benchmark"]["national"]["reason"] == "no_average"


def test_the_openapi_document_describes_benchmark_and_verdict(db, client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    ok = document["paths"]["/api/v1/units/{id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/UnitDetail")
    figure = schemas["QualityFigure"]["properties"]
    assert {"benchmark", "verdict", "better", "respondents"} <= set(figure)
    for name in ("QualityFigure", "Benchmark", "Benchmarks"):
        assert all(p.get("description") for p in schemas[name]["properties"].values()), name
    assert schemas["QualityFigure"]["properties"]["verdict"]["enum"] == [
        "better",
        "same",
        "worse",
        "unknown",
    ]
    assert "95 %-konfidensinterval" in schemas["Benchmark"]["properties"]["rule"]["description"]
