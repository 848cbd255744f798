// Jeugdroute's enhancements. Every page works without this script; with it, the
// bemiddeling form shows the determination of the arrangement code (and why) while
// the worker chooses, and the intensity proposal as guidelines are ticked, instead
// of after pressing "Toon de uitkomst".
(function () {
  "use strict";

  const form = document.querySelector("form[data-bepaling]");
  if (!form || !window.fetch) {
    return;
  }
  const fields = [
    "arrangement", "intensiteit", "segment_beantwoord", "intramuraal",
    "tarief_buiten_segment_2", "behandeling_uren", "begeleiding_uren", "dagdelen",
  ];
  const csrf = form.querySelector("input[name='csrf']").value;
  const show = form.querySelector("button[value='bepalen']");
  let output = document.getElementById("uitkomst");
  if (!output) {
    output = document.createElement("div");
    output.id = "uitkomst";
    output.className = "nl-alert nl-alert--info";
    output.setAttribute("role", "status");
    output.hidden = true;
    form.insertBefore(output, show);
  }
  show.hidden = true;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function list(items) {
    const ul = element("ul");
    for (const item of items) {
      ul.append(item);
    }
    return ul;
  }

  function outcome(d) {
    const heading = d.code ? "arrangementcode " + d.code : "nog geen code";
    const reasons = d.redenen.map(function (r) {
      const li = element("li", "", r.tekst + " ");
      li.append(element("span", "nl-reason-source", "(" + r.bron + ")"));
      return li;
    });
    return [
      element("h3", "nl-heading nl-heading--level-2", "Uitkomst: " + heading),
      element("p", "nl-paragraph",
        d.arrangement_naam + ", intensiteit " + d.intensiteit_naam + " (catalogus " + d.catalogus + ")."),
      list(reasons),
    ];
  }

  function problems(body) {
    const messages = (body.velden || []).map(function (v) {
      return element("li", "", v.melding);
    });
    return [
      element("h3", "nl-heading nl-heading--level-2", "Nog geen uitkomst"),
      messages.length ? list(messages) : element("p", "nl-paragraph", body.fout || "Probeer het opnieuw."),
    ];
  }

  async function ask(path, body) {
    const response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
    return { ok: response.ok, body: await response.json() };
  }

  // Step 4: the proposal from the ticked guidelines.
  const proposal = document.getElementById("voorstel");
  async function propose() {
    const ticked = [];
    for (const [name, value] of new FormData(form)) {
      if (name.startsWith("richtlijn_") && value) {
        ticked.push(name.slice("richtlijn_".length));
      }
    }
    try {
      const answer = await ask("/api/v1/voorstel", { richtlijnen: ticked.join(",") });
      const text = answer.ok ? (answer.body && answer.body.uitleg) : answer.body.fout;
      proposal.replaceChildren(...(text ? [element("p", "nl-paragraph", text)] : []));
      proposal.hidden = !text;
    } catch (_) {
      show.hidden = false;
    }
  }

  let latest = 0;
  async function update() {
    const answers = {};
    for (const [name, value] of new FormData(form)) {
      if (fields.includes(name)) {
        answers[name] = value;
      }
    }
    if (!answers.arrangement || !answers.intensiteit) {
      return;
    }
    const ticket = ++latest;
    try {
      const answer = await ask("/api/v1/bepaling", answers);
      if (ticket === latest) {
        output.replaceChildren(...(answer.ok ? outcome(answer.body) : problems(answer.body)));
        output.hidden = false;
      }
    } catch (_) {
      // Offline or a server error: the button still shows the outcome.
      show.hidden = false;
    }
  }

  let timer;
  form.addEventListener("change", function (event) {
    if (event.target.name.startsWith("richtlijn_")) {
      propose();
    } else {
      update();
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.matches("input[inputmode]")) {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    }
  });
  update();
})();
