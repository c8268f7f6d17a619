/* furo opens its drawers with labels the keyboard cannot reach; these buttons can. */
(() => {
  const buttons = [...document.querySelectorAll("button.drawer-toggle")];
  const sync = () => buttons.forEach(b => b.setAttribute("aria-expanded", document.getElementById(b.dataset.drawer).checked));
  buttons.forEach(b => b.addEventListener("click", () => {
    const box = document.getElementById(b.dataset.drawer);
    box.checked = !box.checked;
    sync();
  }));
  document.querySelectorAll("input.sidebar-toggle").forEach(box => box.addEventListener("change", sync));
  document.addEventListener("keydown", event => {
    const open = [...document.querySelectorAll("input.sidebar-toggle")].filter(box => box.checked);
    if (event.key !== "Escape" || !open.length) return;
    open.forEach(box => { box.checked = false; });
    sync();
    buttons.find(b => b.dataset.drawer === open[0].id && b.checkVisibility())?.focus();
  });
})();
