/* Sammenlign and Spørgsmål til besøget: the print buttons show only where a script can print. */
document.querySelectorAll("[data-plov-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
