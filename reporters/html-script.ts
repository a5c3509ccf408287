/**
 * The report's one small inline script: search and filters over the findings, the matrix cells' links
 * (show only that cell's findings), copy buttons, and opening a collapsed finding a link points to.
 * Without it the page still reads top to bottom and every link still lands on a finding.
 */
export const SCRIPT = `(() => {
  const $ = (id) => document.getElementById(id);
  const occs = [...document.querySelectorAll("details.occ")];
  const text = new Map();
  const textOf = (o) => {
    if (!text.has(o)) text.set(o, ((o.closest(".fentry")?.querySelector(".msg")?.textContent || "") + " " + o.textContent).toLowerCase());
    return text.get(o);
  };
  // The search text of every finding is read once, while the reader looks at the top of the page.
  const warm = (i) => { const end = Math.min(occs.length, i + 200); for (; i < end; i++) textOf(occs[i]); if (i < occs.length) (window.requestIdleCallback || setTimeout)(() => warm(i)); };
  (window.requestIdleCallback || setTimeout)(() => warm(0));
  let cell = "";
  const apply = () => {
    const q = ($("f-q")?.value || "").trim().toLowerCase();
    const verdict = $("f-verdict")?.value || "", spec = $("f-spec")?.value || "", check = $("f-check")?.value || "";
    const active = Boolean(q || verdict || spec || check || cell);
    let shown = 0;
    for (const o of occs) {
      const ok = (!verdict || o.dataset.verdict === verdict) && (!spec || o.dataset.spec === spec) && (!check || o.dataset.check === check)
        && (!cell || (o.dataset.cells || "").split(" ").includes(cell)) && (!q || textOf(o).includes(q));
      o.hidden = !ok;
      if (ok) shown++;
    }
    for (const e of document.querySelectorAll(".fentry")) e.hidden = !e.querySelector("details.occ:not([hidden])");
    for (const g of document.querySelectorAll("details.fgroup")) {
      g.hidden = !g.querySelector(".fentry:not([hidden])");
      if (active && !g.hidden) g.open = true;
    }
    if (cell) for (const o of occs) if (!o.hidden) o.open = true;
    if ($("f-count")) $("f-count").textContent = shown + " of " + occs.length + " findings";
    if ($("f-none")) $("f-none").hidden = shown > 0;
  };
  // Typing waits for a pause (a search over thousands of findings takes a moment); Enter or a select applies at once.
  let typing;
  $("f-q")?.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(apply, 150); });
  for (const id of ["f-q", "f-verdict", "f-spec", "f-check"]) $(id)?.addEventListener("change", apply);
  const showCell = (id, name) => {
    cell = id;
    $("f-cell").hidden = !id;
    $("f-cell-name").textContent = name || "";
    apply();
  };
  $("f-cell-clear")?.addEventListener("click", () => showCell("", ""));
  document.addEventListener("click", (ev) => {
    const a = ev.target.closest && ev.target.closest("a[data-cell]");
    if (a) {
      ev.preventDefault();
      showCell(a.dataset.cell, a.getAttribute("title") || a.dataset.cell);
      $("findings").scrollIntoView();
      return;
    }
    const b = ev.target.closest && ev.target.closest("button.copy");
    if (b) {
      const pre = b.parentElement.querySelector("pre");
      const done = () => { b.textContent = "Copied"; setTimeout(() => (b.textContent = "Copy"), 1500); };
      if (navigator.clipboard) navigator.clipboard.writeText(pre.textContent).then(done, () => select(pre));
      else select(pre);
    }
  });
  const select = (pre) => { const r = document.createRange(); r.selectNodeContents(pre); const s = getSelection(); s.removeAllRanges(); s.addRange(r); };
  const reveal = () => {
    const el = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!el) return;
    for (let d = el; d; d = d.parentElement) if (d.tagName === "DETAILS") d.open = true;
    el.scrollIntoView();
  };
  addEventListener("hashchange", reveal);
  reveal();
})();`;
