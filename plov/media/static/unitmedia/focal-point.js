// The focal point of a unit's image: a click (or Enter/space on the focused image, then the
// arrow keys) on the preview sets the hidden focal_x / focal_y inputs (per cent from the left and
// the top) and shows a marker. The form's "Gem billede" saves it (plov.media.views).
(() => {
  "use strict";
  const clamp = (value) => Math.max(0, Math.min(100, value));

  document.querySelectorAll("[data-focal-point]").forEach((figure) => {
    const frame = figure.querySelector(".unitmedia-focal__frame");
    const image = frame && frame.querySelector("img");
    const marker = figure.querySelector(".unitmedia-focal__marker");
    const status = figure.querySelector("[data-focal-status]");
    const inputX = document.getElementById(figure.dataset.focalXInput);
    const inputY = document.getElementById(figure.dataset.focalYInput);
    if (!image || !marker || !inputX || !inputY) return;

    let x = figure.dataset.focalX !== undefined ? Number(figure.dataset.focalX) : null;
    let y = figure.dataset.focalY !== undefined ? Number(figure.dataset.focalY) : null;

    const show = () => {
      if (x === null || y === null) return;
      marker.hidden = false;
      marker.style.left = `${x}%`;
      marker.style.top = `${y}%`;
    };

    const choose = (newX, newY) => {
      x = clamp(Math.round(newX * 10) / 10);
      y = clamp(Math.round(newY * 10) / 10);
      inputX.value = String(x);
      inputY.value = String(y);
      show();
      if (status) {
        status.textContent = `Fokuspunkt valgt (${Math.round(x)} % fra venstre, ${Math.round(y)} % fra toppen). Husk at gemme.`;
      }
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
    };

    image.tabIndex = 0;
    image.setAttribute("aria-describedby", "focal-help");
    image.classList.add("unitmedia-focal__image");
    image.addEventListener("click", (event) => {
      const box = image.getBoundingClientRect();
      choose(((event.clientX - box.left) / box.width) * 100, ((event.clientY - box.top) / box.height) * 100);
    });
    image.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? 10 : 2;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose(x === null ? 50 : x, y === null ? 50 : y);
      } else if (moves[event.key]) {
        event.preventDefault();
        choose((x === null ? 50 : x) + moves[event.key][0], (y === null ? 50 : y) + moves[event.key][1]);
      }
    });
    show();
  });
})();
