/* "Before you supply": the interactive checklist (docs/patients/supply-checklist.md).
   The table is the one published as screening.json, embedded in the page at build time
   (docs/_ext/ldn_guide/adapters/screening.py). This evaluates it exactly as
   docs/_ext/ldn_guide/rules/screening.py `evaluate` does; tests/test_screening.py runs the same
   example patients through both. An absent answer is a question still to ask, never "no". */
(() => {
  const form = document.getElementById("screening-form");
  const data = document.getElementById("screening-data");
  const out = document.getElementById("screening-outcome");
  if (!form || !data || !out) return;
  const table = JSON.parse(data.textContent);
  const ACTIONS = ["do-not-supply", "supply-and-counsel", "supply"];
  const WORDS = {
    "do-not-supply": "Do not supply: contact the prescriber",
    "ask-first": "Ask first: do not supply until these questions are answered",
    "supply-and-counsel": "Supply and counsel",
    "supply": "Supply",
  };

  const atoms = c => (c.all ? c.all : [c]);
  const atomTest = atom => Object.entries(atom).find(([k]) => k !== "key");
  const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

  function truth(c, patient) {
    if (c.all) {
      const values = c.all.map(a => truth(a, patient));
      if (values.includes(false)) return false;
      return values.includes(null) ? null : true;
    }
    if (!has(patient, c.key)) return null;
    const value = patient[c.key];
    const [name, wanted] = atomTest(c);
    const number = typeof value === "number";
    switch (name) {
      case "is": return value === wanted;
      case "less_than": return number && value < wanted;
      case "at_least": return number && value >= wanted;
      case "in": return wanted.includes(value);
      case "contains_any":
        return value.some(item => wanted.some(w => item.toLowerCase().includes(w.toLowerCase())));
      case "not_empty": return value.length > 0;
      default: throw new Error("unknown test " + name);
    }
  }

  function sourceText(sources) {
    const prefix = {"good-practice": "good practice", "expert-opinion": "expert opinion", "evidence": "study"};
    return sources.map(s => {
      if (s.kind === "label") return `${s.label} label, ${s.section} [${s.cite}]`;
      if (s.kind === "recommendation") return `this guide's recommendation ${s.recommendation}`;
      return `${prefix[s.kind]}: ${s.note}${s.cite ? ` [${s.cite}]` : ""}`;
    }).join("; ");
  }

  function evaluate(patient) {
    const held = [], unknown = [];
    for (const q of table.questions) {
      for (const r of q.rules) {
        const v = truth(r.when, patient);
        if (v) held.push([q, r]); else if (v === null) unknown.push([q, r]);
      }
    }
    const entry = (q, r) => ({rule: r.id, question: q.id, action: r.action, text: r.says,
                              reason: r.reason, source: sourceText(r.sources)});
    const by = {};
    for (const a of ACTIONS) by[a] = held.filter(([, r]) => r.action === a).map(([q, r]) => entry(q, r));
    const ask = [];
    for (const [q, r] of unknown) {
      const keys = [...new Set(atoms(r.when).map(a => a.key))].filter(k => !has(patient, k));
      let item = ask.find(i => i.question === q.id);
      if (!item) { item = {question: q.id, ask: q.ask, keys: []}; ask.push(item); }
      for (const k of keys) if (!item.keys.includes(k)) item.keys.push(k);
    }
    let action, reasons;
    if (by["do-not-supply"].length) [action, reasons] = ["do-not-supply", by["do-not-supply"]];
    else if (ask.length) [action, reasons] = ["ask-first", by["supply-and-counsel"]];
    else if (by["supply-and-counsel"].length) [action, reasons] = ["supply-and-counsel", by["supply-and-counsel"]];
    else [action, reasons] = ["supply", by["supply"]];
    const counsel = ["supply", "supply-and-counsel"].includes(action)
      ? table.counsel.map(p => ({point: p.id, text: p.text, source: sourceText(p.sources)})) : [];
    return {action, says: WORDS[action], reasons, ask, counsel};
  }

  function answers() {
    const patient = {};
    for (const field of form.querySelectorAll(".screening-field")) {
      const key = field.dataset.key, kind = field.dataset.kind;
      if (kind === "boolean") {
        const v = form.elements[key].value;
        if (v === "true" || v === "false") patient[key] = v === "true";
        continue;
      }
      const box = form.elements[key];
      const none = form.elements[`${key}-none`];
      if (box) box.disabled = !!(none && none.checked);
      if (none && none.checked) { patient[key] = kind === "list" ? [] : null; continue; }
      const text = box.value.trim();
      if (!text) continue;
      if (kind === "enum") patient[key] = text;
      else if (kind === "list") patient[key] = text.split(",").map(s => s.trim()).filter(Boolean);
      else if (!Number.isNaN(Number(text))) patient[key] = Number(text);
    }
    return patient;
  }

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  };

  function show() {
    const decision = evaluate(answers());
    out.dataset.action = decision.action;
    out.replaceChildren(el("p", {class: `screening-action action-${decision.action}`},
                           el("strong", {}, decision.says)));
    if (decision.reasons.length) {
      out.append(el("h3", {}, decision.action === "ask-first" ? "So far" : "Why"));
      out.append(el("ul", {class: "screening-reasons"}, ...decision.reasons.map(r =>
        el("li", {"data-rule": r.rule}, el("strong", {}, r.text), " ", r.reason, " ",
           el("span", {class: "screening-source"}, `Source: ${r.source}.`)))));
    }
    if (decision.ask.length) {
      out.append(el("h3", {}, "Still to ask"));
      out.append(el("ul", {class: "screening-ask"}, ...decision.ask.map(a =>
        el("li", {"data-question": a.question, "data-keys": a.keys.join(" ")}, a.ask))));
    }
    if (decision.counsel.length) {
      out.append(el("h3", {}, "Counsel"));
      out.append(el("ul", {class: "screening-counsel-list"}, ...decision.counsel.map(c =>
        el("li", {"data-point": c.point}, c.text, " ",
           el("span", {class: "screening-source"}, `Source: ${c.source}.`)))));
    }
  }

  form.addEventListener("input", show);
  form.addEventListener("change", show);
  form.addEventListener("submit", event => { event.preventDefault(); show(); });
  form.addEventListener("reset", () => setTimeout(show, 0));
  // For the tests (tests/test_screening.py): the same engine, called with a patient object.
  window.ldnScreening = {evaluate};
  show();
})();
