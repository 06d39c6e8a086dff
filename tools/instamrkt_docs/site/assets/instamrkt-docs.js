// instamrkt-docs: what the site adds to the theme's script.
// - The diagram library (3.5 MB) loads only when a page draws a diagram, after the page
//   has shown: the theme calls `mermaid.initialize` and `mermaid.render`; until the real
//   library is needed, those calls reach this stand-in, which then loads it from beside
//   this file (never from another host).
// - A table wider than its column scrolls: it is then a named region a keyboard can reach.
// - One language for the whole site: a choice in the language row (or in a sample's own
//   tabs) switches every sample, with or without the theme's linked tabs, and keeps the
//   sample the reader looks at where it was on screen (the theme's own correction assumes
//   every tab set's offset is from the top of the page).
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
  // What the reader is looking at, to keep in place while samples above it change height:
  // the sample set clicked, unless it is the language row (it stays in view whatever
  // happens); else the sample set (or heading) at the middle of what the row leaves in
  // view, or the nearest one to it.
  const anchorFor = (set) => {
    if (set && !set.classList.contains("im-languages")) return set;
    const row = document.querySelector(".im-languages");
    const top = row ? row.getBoundingClientRect().bottom : 0;
    const middle = (top + window.innerHeight) / 2;
    let best = null;
    let distance = Infinity;
    const candidates = document.querySelectorAll(".md-content .tabbed-set:not(.im-languages), .md-content :is(h1, h2, h3)");
    for (const element of candidates) {
      const box = element.getBoundingClientRect();
      if (!box.height || box.bottom <= top || box.top >= window.innerHeight) continue;
      const away = box.top > middle ? box.top - middle : Math.max(0, middle - box.bottom);
      if (away < distance) [best, distance] = [element, away];
    }
    return best;
  };
  const keepInPlace = (element, top) => {
    if (!element) return;
    const moved = element.getBoundingClientRect().top - top;
    if (Math.abs(moved) >= 1) window.scrollBy({ top: moved, behavior: "instant" });
  };
  const choose = (tabs, except) => {
    for (const set of document.querySelectorAll(".tabbed-set")) {
      const inputs = [...set.querySelectorAll(":scope > input")];
      const wanted = tabs.map((tab) => inputs.find((i) => textOf(i) === tab)).find(Boolean);
      if (set === except || !wanted || wanted.checked) continue;
      labelOf(wanted).setAttribute("data-md-switching", ""); // the theme: no scrolling
      wanted.click();
    }
  };
  // Where the anchor was when the reader pressed: the theme may switch and scroll before
  // this script hears of the change.
  let pressed = null;
  const press = (event) => {
    const set = event.target.closest?.(".tabbed-set");
    if (!set) return;
    const anchor = anchorFor(set);
    pressed = anchor ? { anchor, top: anchor.getBoundingClientRect().top } : null;
  };
  document.addEventListener("pointerdown", press, true);
  document.addEventListener("keydown", press, true);
  document.addEventListener("change", (event) => {
    const input = event.target; // a reader's choice; not the switching scripts do
    if (!event.isTrusted || !input.matches?.(".tabbed-set > input")) return;
    const set = input.closest(".tabbed-set");
    const fallback = anchorFor(set);
    const { anchor, top } = pressed ?? { anchor: fallback, top: fallback?.getBoundingClientRect().top };
    pressed = null;
    const tab = textOf(input);
    choose([tab], set);
    keepInPlace(anchor, top);
    const chosen = window.__md_get?.("__tabs") ?? [];
    window.__md_set?.("__tabs", [...new Set([tab, ...(Array.isArray(chosen) ? chosen : [])])]);
  });
  // The element the address's fragment names, if any.
  const linked = () => {
    if (!location.hash) return null;
    try {
      return document.getElementById(decodeURIComponent(location.hash.slice(1)));
    } catch {
      return null; // a malformed escape
    }
  };
  // A choice from an earlier page, for the sets the theme did not restore; the heading a
  // link landed on stays where it is.
  const restore = () => {
    const tabs = window.__md_get?.("__tabs");
    if (!Array.isArray(tabs) || !tabs.length) return;
    const target = linked();
    const top = target?.getBoundingClientRect().top;
    choose(tabs, null);
    keepInPlace(target, top);
  };
  // A link's heading stays where the link put it while what is above it still changes
  // height (a restored language, a diagram drawn late), until the reader scrolls or acts.
  // Not on a reload or a return: the browser puts the page back where the reader left it.
  let unpin = () => {};
  const pin = () => {
    unpin();
    const target = linked();
    const content = document.querySelector(".md-content");
    if (!target || !content) return;
    const observer = new ResizeObserver(() => target.scrollIntoView({ block: "start", behavior: "instant" }));
    const acts = ["wheel", "touchstart", "keydown", "pointerdown"];
    unpin = () => {
      observer.disconnect();
      for (const type of acts) removeEventListener(type, unpin, true);
    };
    for (const type of acts) addEventListener(type, unpin, { capture: true, passive: true });
    observer.observe(content);
  };
  const arrival = performance.getEntriesByType("navigation")[0]?.type;
  if (arrival !== "reload" && arrival !== "back_forward") pin();
  window.addEventListener("hashchange", pin);
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
