// Loading indicator of the demo pages, before Python runs. Everything after boot is Python.
//
// PyScript reports its own progress as "py:progress" events ("Loading Pyodide", "Loaded packages", …);
// they drive the first two steps. The Python side (demo_kit.py) drives the "sdk" and "connect" steps and
// calls window.demoBoot.fail() for its own failures. window.demoTimings keeps performance.now() marks.
(() => {
  "use strict";
  const timings = (window.demoTimings = {});
  // PyScript's order: "Loading Pyodide", … "Loading interpreter", "Loaded interpreter", "Loading files",
  // "Loaded files", "Loading micropip", "Loading <packages>", "Loaded <packages>", "Loaded Pyodide".
  // The packages step is driven by the page's Python (demo_kit.py loads them with Pyodide's loader).
  const STEPS = {
    "Loading Pyodide": ["runtime", "active"],
    "Loaded Pyodide": ["runtime", "done"],
  };
  let finished = false;

  // One definition of the loading card for every page; rendered into the page's empty <section id="boot">.
  const CARD = `
    <h1 class="boot-title">Starting Python in your browser…</h1>
    <p class="muted">This page runs Clerk's browser SDK in Python (Pyodide). The first load takes a few seconds.</p>
    <ol class="steps">
      <li data-step="runtime"><span class="name">Python runtime (Pyodide)</span><span class="state"></span></li>
      <li data-step="packages"><span class="name">Packages (pydantic, clerk-frontend)</span><span class="state"></span></li>
      <li data-step="sdk"><span class="name">Clerk SDK (import clerk_frontend)</span><span class="state"></span></li>
      <li data-step="connect"><span class="name">Connecting to Clerk (clerk.load())</span><span class="state"></span></li>
    </ol>
    <p class="boot-slow hint" hidden>Still working: a slow or busy machine can take longer. It will continue.</p>
    <div class="boot-error msg" data-kind="error" role="alert" hidden>
      <strong class="boot-message"></strong>
      <details><summary>Technical details</summary><pre class="boot-detail"></pre></details>
      <div class="row"><button type="button" class="boot-reload">Reload the page</button></div>
    </div>`;

  function bootCard() {
    const boot = document.getElementById("boot");
    if (boot && !boot.firstElementChild) {
      boot.innerHTML = CARD;  // a constant: no page data ever goes through innerHTML
      boot.querySelector(".boot-reload").addEventListener("click", () => location.reload());
    }
    return boot;
  }
  document.addEventListener("DOMContentLoaded", bootCard);

  function stepEl(name) {
    const boot = bootCard();
    return boot && boot.querySelector(`[data-step="${name}"]`);
  }

  function setStep(name, state, note) {
    const el = stepEl(name);
    if (!el) return;
    // A later "Loading files" must not turn a finished step back to active.
    if (el.dataset.state === "done" && state === "active") return;
    el.dataset.state = state;
    timings[`${name}:${state}`] = performance.now();
    const label = el.querySelector(".state");
    const text = note && note.length > 40 ? note.slice(0, 39) + "…" : note;
    if (label) label.textContent = text || { active: "loading…", done: "done", failed: "failed" }[state] || "";
    if (label && note) label.title = note;
  }

  function fail(message, detail) {
    if (finished) return;
    finished = true;
    timings.failed = performance.now();
    const boot = bootCard();
    if (!boot) return;
    for (const el of boot.querySelectorAll("[data-step]")) {
      if (el.dataset.state === "active" || !el.dataset.state) {
        setStep(el.dataset.step, "failed");
        break;
      }
    }
    boot.dataset.state = "failed";
    boot.querySelector(".boot-title").textContent = "The demo could not start";
    const box = boot.querySelector(".boot-error");
    box.hidden = false;
    box.querySelector(".boot-message").textContent = message;
    box.querySelector(".boot-detail").textContent = detail || "(no further detail)";
  }

  function done() {
    finished = true;
    timings.ready = performance.now();
  }

  addEventListener("py:progress", (event) => {
    const detail = String(event.detail);
    const step = STEPS[detail];
    if (step) {
      setStep(step[0], step[1]);
    }
  });

  const runtimeFailure = (detail) =>
    fail(
      "Python could not be loaded in this page. Check that the demo server is still running " +
        "(make demo), then reload. Very old browsers cannot run Pyodide.",
      detail,
    );
  addEventListener("error", (event) => {
    // Resource errors (a missing script) and uncaught JS errors before Python took over.
    if (finished) return;
    const target = event.target;
    const what = target && target !== window && (target.src || target.href);
    runtimeFailure(what ? `could not load ${what}` : String(event.message || event.error || "error"));
  }, true);
  // Pyodide's loader answers a failed pyodide.asm.wasm download or compile with console.warn("wasm
  // instantiation failed!") then console.warn(error), and never settles: nothing else reports it (unless the
  // download failed early enough to become an unhandled rejection), so watch for that warning.
  const warn = console.warn;
  let wasmFailed = false;
  console.warn = function (...args) {
    if (!finished && wasmFailed) {
      wasmFailed = false;
      const error = args[0];
      runtimeFailure(`wasm instantiation failed: ${String((error && (error.stack || error.message)) || error)}`);
    } else if (!finished && args[0] === "wasm instantiation failed!") {
      wasmFailed = true;
      setTimeout(() => runtimeFailure("wasm instantiation failed"), 0);  // in case no error follows
    }
    return warn.apply(this, args);
  };
  addEventListener("unhandledrejection", (event) => {
    if (finished) return;
    const reason = event.reason;
    runtimeFailure(String((reason && (reason.stack || reason.message)) || reason));
  });
  // PyScript reports a Python error that escapes a page script (a syntax error, a crash while starting)
  // by appending a .py-error element; before the page is ready that is a failed start.
  new MutationObserver((records) => {
    if (finished) return;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.classList.contains("py-error")) {
          fail("The page's Python code failed while starting. Reloading may help; the details say why.",
               node.textContent);
          return;
        }
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  // A slow machine is not a failure, but say so instead of spinning forever.
  setTimeout(() => {
    if (finished) return;
    const note = bootCard()?.querySelector(".boot-slow");
    if (note) note.hidden = false;
  }, 20000);

  window.demoBoot = { setStep, fail, done };
})();
