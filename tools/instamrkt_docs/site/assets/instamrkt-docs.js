// instamrkt-docs: what the site adds to the theme's script.
// - The diagram library (3.5 MB) loads only when a page draws a diagram, after the page
//   has shown: the theme calls `mermaid.initialize` and `mermaid.render`; until the real
//   library is needed, those calls reach this stand-in, which then loads it from beside
//   this file (never from another host).
// - A table wider than its column scrolls: it is then a named region a keyboard can reach.
// - One language for the whole page: the browser lays out only the sections near the
//   screen (`content-visibility`), and the theme finds the tabs to switch, and the tabs to
//   restore on a new page, by their laid-out text, which the other sections do not have
//   yet. This switches and restores those by their text.
(() => {
  const here = document.currentScript.src;
  if (typeof window.mermaid === "undefined") {
    let settings = {};
    let loading = null;
    // The page's first content is painted before the library is even asked for.
    const painted = new Promise((resolve) => {
      const done = () => requestAnimationFrame(() => requestAnimationFrame(resolve));
      if (performance.getEntriesByName("first-contentful-paint").length) return done();
      new PerformanceObserver((entries, observer) => {
        if (entries.getEntriesByName("first-contentful-paint").length) {
          observer.disconnect();
          done();
        }
      }).observe({ type: "paint", buffered: true });
    });
    const load = () =>
      (loading ??= painted.then(() => new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL("mermaid.min.js", here).href;
        script.onload = () => {
          window.mermaid.initialize(settings);
          resolve(window.mermaid);
        };
        script.onerror = () => reject(new Error("the diagram library did not load"));
        document.head.append(script);
      })));
    window.mermaid = {
      initialize(options) {
        settings = options;
      },
      async render(id, text) {
        return (await load()).render(id, text);
      },
    };
  }
  const reachable = () => {
    for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table (scrolls sideways)");
      }
    }
  };
  const labelOf = (input) => document.querySelector(`label[for="${input.id}"]`);
  const textOf = (input) => labelOf(input)?.textContent.trim();
  const choose = (tabs, except) => {
    for (const set of document.querySelectorAll(".tabbed-set")) {
      const inputs = [...set.querySelectorAll(":scope > input")];
      const wanted = tabs.map((tab) => inputs.find((i) => textOf(i) === tab)).find(Boolean);
      if (set === except || !wanted || wanted.checked) continue;
      labelOf(wanted).setAttribute("data-md-switching", ""); // the theme: no scrolling
      wanted.click();
    }
  };
  document.addEventListener("change", (event) => {
    const input = event.target; // a reader's choice; not the switching scripts do
    if (event.isTrusted && input.matches?.(".tabbed-set > input")) {
      choose([textOf(input)], input.closest(".tabbed-set"));
    }
  });
  const restore = () => {
    const tabs = window.__md_get?.("__tabs");
    if (Array.isArray(tabs) && tabs.length) choose(tabs, null);
  };
  const ready = () => {
    restore();
    reachable();
  };
  if (window.document$) {
    window.document$.subscribe(ready);
  } else {
    window.addEventListener("load", ready);
  }
  window.addEventListener("resize", reachable);
})();
