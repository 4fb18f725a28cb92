from __future__ import annotations

from django import forms

from plov.applying.models import FIELDS, ApplicationGuidance

MAX_TEXT = 4000


class ApplicationGuidanceForm(forms.ModelForm):
    class Meta:
        model = ApplicationGuidance
        fields = FIELDS
        widgets = {
            "care_home_text": forms.Textarea(attrs={"rows": 8}),
            "home_care_text": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        cleaned = super().clean()
        for name in ("care_home_text", "home_care_text"):
            text = (cleaned.get(name) or "").strip()
            cleaned[name] = text
            if len(text) > MAX_TEXT:
                self.add_error(name, f"Teksten er {len(text)} tegn; højst {MAX_TEXT} tegn.")
        url = cleaned.get("url") or ""
        if url and not url.startswith("https://"):
            self.add_error("url", "Linket skal begynde med https://.")
        if any(cleaned.get(n) for n in ("care_home_text", "home_care_text")) and not any(
            cleaned.get(n) for n in ("phone", "email", "url")
        ):
            self.add_error(
                "phone", "Oplys mindst én måde at kontakte kommunen på: telefon, e-mail eller link."
            )
        return cleaned
