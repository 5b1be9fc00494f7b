// Friend code copy button: an enhancement only; the code is readable and selectable without it.
document.querySelectorAll(".copy-button").forEach((button) => {
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(field.value).then(() => {
      button.textContent = "Copied";
    });
  });
});
