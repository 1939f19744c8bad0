// Copy buttons: hidden without JavaScript (the link stays selectable in its field). A copy is
// announced in the page's live region (base.html) and on the button itself.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field || !navigator.clipboard) return;
  const label = button.textContent;
  const copied = button.dataset.copiedText || "Copied";
  const live = document.getElementById("live-region");
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(field.value).then(
      () => {
        button.textContent = copied;
        if (live) live.textContent = copied;
        window.setTimeout(() => {
          button.textContent = label;
        }, 4000);
      },
      () => {
        // No permission to write: select the link so that the person can copy it by hand.
        field.focus();
        field.select();
      },
    );
  });
});
