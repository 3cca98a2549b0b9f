/* Site search (search/index.html): queries the Pagefind index with its JS API.
 *
 * Progressive enhancement: without JavaScript (or when this module or the index fails to load)
 * the page shows how to find documents through the catalog instead. Results are built with DOM
 * methods only (createElement, textContent): no innerHTML, no inline styles (the CSP forbids
 * them). The query is kept in the address (?q=…&category=…&year=…) so a search can be linked.
 */
const PAGE_SIZE = 10;
const DEBOUNCE_MS = 300;
const OPENING_CHARS = 80; // of the body, shown for a document found by its 文号 or 索引号
const ZERO_WIDTH = /\u200b/g; // Pagefind separates Chinese words with U+200B in its excerpts
const HAN = /^\p{Script=Han}$/u;
const QUOTED = /^\s*".+"\s*$/;
// a 文号 (示民发〔2024〕22号) or an 索引号 (<USCC>/2024-00009) inside a longer query
const DOCUMENT_NUMBER = /〔\d{4}〕\d*号?|^[0-9A-Z]{18}\/\d{4}-\d{5}$/;
// a query that is nothing but one of them: looked up in the exact filters of the metadata table
const NUMBER_KINDS = [
  { filter: "doc_no", label: "文件编号", pattern: /^[\p{Script=Han}A-Z]{1,12}〔\d{4}〕\d{1,4}号$/u },
  { filter: "index_no", label: "索引号", pattern: /^[0-9A-Z]{18}\/\d{4}-\d{5}$/ },
];

/* A pasted 文号 inside a longer query is looked up exactly first: unquoted, its parts (示, 民,
 * 2024, …) also match many other documents, and one of them may rank higher. */
function exactForm(query) {
  return query && !QUOTED.test(query) && DOCUMENT_NUMBER.test(query) ? `"${query}"` : "";
}

/* The 文号 or 索引号 that the whole query is, written as the site writes it, or null. People
 * type 示民发[2024]22号, （2024）, full-width digits, spaces, quotes or no 号: all the same number. */
function documentNumber(query) {
  let value = String(query || "")
    .normalize("NFKC") // full-width digits, letters, ／ and － become ASCII
    .replace(/[\s"“”'‘’]/g, "")
    .toUpperCase()
    .replace(/[\[(【〖〔](\d{4})[\])】〗〕]/, "〔$1〕");
  if (/〔\d{4}〕\d+$/.test(value)) value += "号";
  const kind = NUMBER_KINDS.find((k) => k.pattern.test(value));
  return kind ? { filter: kind.filter, label: kind.label, value } : null;
}

/* The index splits Chinese text into words with one dictionary, the browser splits the query
 * with another (Intl.Segmenter), which sometimes cuts an indexed word in two: 回访 → 回 + 访,
 * and 访 then matches nothing. Pagefind matches each query word as a prefix, so a looser query
 * keeps only the first character of every run of single characters (抽查回访 → "抽查 回").
 * Returns "" when that changes nothing. */
function loosen(query) {
  if (typeof Intl === "undefined" || !Intl.Segmenter || QUOTED.test(query)) return "";
  const words = [];
  let changed = false;
  let previousSingle = false;
  for (const { segment, isWordLike } of new Intl.Segmenter("zh-CN", { granularity: "word" }).segment(query)) {
    if (!isWordLike) continue;
    const single = HAN.test(segment);
    if (single && previousSingle) {
      changed = true;
      continue;
    }
    words.push(segment);
    previousSingle = single;
  }
  return changed ? words.join(" ") : "";
}

function clean(text) {
  return String(text || "").replace(ZERO_WIDTH, "").trim();
}

/* An excerpt is text with <mark> around the matched words: copy just that, as text and <mark>. */
function appendExcerpt(target, html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ""}</body>`, "text/html");
  for (const node of doc.body.childNodes) {
    const text = String(node.textContent || "").replace(ZERO_WIDTH, "");
    if (!text) continue;
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = text;
      target.appendChild(mark);
    } else {
      target.appendChild(document.createTextNode(text));
    }
  }
}

/* The start of a page's body, for a result found by its number alone (no words to centre an
 * excerpt on): the indexed text begins with the title, which the result shows already. */
function opening(data, title) {
  let text = clean(data.content);
  if (title && text.startsWith(title)) text = text.slice(title.length).replace(/^[\s.]+/, "");
  const chars = [...text];
  return chars.length > OPENING_CHARS ? `${chars.slice(0, OPENING_CHARS).join("")}……` : text;
}

/* One result; ``exact`` is the number it was found by ({filter, label, value}) when it is the document
 * that the query names, which the result says in words. */
function renderResult(data, exact) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = data.url;
  const title = clean(data.meta && data.meta.title);
  link.textContent = title || data.url;
  heading.appendChild(link);
  item.appendChild(heading);

  const facts = [];
  if (data.meta && data.meta.date) facts.push(`日期：${clean(data.meta.date)}`);
  if (data.meta && data.meta.category) facts.push(`组配分类：${clean(data.meta.category)}`);
  const docNo = data.filters && data.filters.doc_no && data.filters.doc_no[0];
  if (docNo && !(exact && exact.filter === "doc_no")) facts.push(`文件编号：${clean(docNo)}`); // said once
  if (facts.length || exact) {
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    if (exact) {
      const marker = document.createElement("strong");
      marker.className = "search-exact";
      marker.textContent = `精确匹配：${exact.label} ${exact.value}`;
      meta.append(marker, facts.length ? "　" : "");
    }
    meta.append(facts.join("　"));
    item.appendChild(meta);
  }
  const snippet = document.createElement("p");
  snippet.className = "search-snippet";
  if (exact) snippet.textContent = opening(data, title);
  else if (data.excerpt) appendExcerpt(snippet, data.excerpt);
  if (snippet.firstChild) item.appendChild(snippet);
  return item;
}

function main() {
  const form = document.querySelector("[data-search-form]");
  const section = document.querySelector("[data-search-results]");
  if (!form || !section) return;
  const fallback = document.querySelector("[data-search-fallback]");
  const status = section.querySelector("[data-search-status]");
  const list = section.querySelector("[data-search-list]");
  const moreButton = section.querySelector("[data-search-more]");
  const input = form.querySelector("input[name=q]");
  const category = form.querySelector("select[name=category]");
  const year = form.querySelector("select[name=year]");
  const notPublicTemplate = document.querySelector("template[data-search-not-public]");

  let loading = null; // the Pagefind module, loaded once, on first use
  let token = 0; // the newest search; older ones drop their results
  let results = [];
  let shown = 0;
  let timer = 0;

  function pagefind() {
    if (!loading) {
      const url = new URL(form.dataset.pagefind, document.baseURI).href;
      // the older parts of the index (years grouped), searched together with the newest one
      const parts = (form.dataset.pagefindMerge || "").split(" ").filter(Boolean);
      loading = import(url).then(async (module) => {
        await module.options({ excerptLength: 40 });
        for (const part of parts) await module.mergeIndex(new URL(part, document.baseURI).pathname);
        await module.init();
        return module;
      });
    }
    return loading;
  }

  function unavailable() {
    section.setAttribute("aria-busy", "false");
    form.hidden = true;
    section.hidden = true;
    if (!fallback) return;
    if (!fallback.querySelector(".search-error")) {
      const notice = document.createElement("p");
      notice.className = "notice search-error";
      notice.setAttribute("role", "alert");
      notice.textContent = "搜索暂时无法使用（搜索索引没有加载成功）。请稍后再试，或按下面的方法在目录中查找。";
      fallback.insertBefore(notice, fallback.firstChild);
    }
    fallback.hidden = false;
  }

  function state() {
    return {
      q: input.value.trim(),
      category: category ? category.value : "",
      year: year ? year.value : "",
    };
  }

  function remember(current) {
    const params = new URLSearchParams();
    for (const key of ["q", "category", "year"]) if (current[key]) params.set(key, current[key]);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  function describe(current) {
    const parts = [];
    if (current.q) parts.push(`“${current.q}”`);
    if (current.category) parts.push(`组配分类“${current.category}”`);
    if (current.year) parts.push(`${current.year}年`);
    return parts.join("、");
  }

  /* The notice for a 文号 or 索引号 that no published document has (the page's template says
   * it, with the link to 依申请公开), as nodes for the status line. */
  function notPublic(number) {
    const notice = notPublicTemplate.content.cloneNode(true);
    for (const slot of notice.querySelectorAll("[data-number-label]")) slot.textContent = number.label;
    for (const slot of notice.querySelectorAll("[data-number-value]")) slot.textContent = number.value;
    return notice;
  }

  function announce(current) {
    const number = current.q ? documentNumber(current.q) : null;
    const missing = number && notPublicTemplate && !results.some((entry) => entry.exact);
    if (missing) {
      status.replaceChildren(notPublic(number));
      if (results.length) status.append(`下面是提到这个编号的 ${results.length} 个页面。`);
    } else if (!results.length) {
      status.textContent = `没有找到与${describe(current)}相关的结果。可以换一个关键词，或到政府信息公开目录中查找。`;
    } else if (shown < results.length) {
      status.textContent = `找到 ${results.length} 条结果，显示前 ${shown} 条。`;
    } else {
      status.textContent = `找到 ${results.length} 条结果。`;
    }
  }

  async function showMore(mine) {
    const batch = results.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(batch.map((entry) => entry.result.data()));
    if (mine !== token) return false;
    data.forEach((item, i) => list.appendChild(renderResult(item, batch[i].exact)));
    shown += batch.length;
    moreButton.hidden = shown >= results.length;
    return true;
  }

  async function run(current) {
    const mine = ++token;
    remember(current);
    if (!current.q && !current.category && !current.year) {
      section.hidden = true;
      section.setAttribute("aria-busy", "false");
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    section.hidden = false;
    section.setAttribute("aria-busy", "true"); // until the new results are all in
    status.textContent = "正在搜索……";
    const filters = {};
    if (current.category) filters.category = current.category;
    if (current.year) filters.year = current.year;
    const number = current.q ? documentNumber(current.q) : null;
    const loose = current.q && !number ? loosen(current.q) : "";
    let searches;
    if (number) {
      // A 文号 or 索引号 names one document: the one whose metadata table has it (whatever the
      // filters), then the pages that quote it. Never its parts (示, 民, 2024, …) one by one,
      // which match most of the site.
      searches = [
        [null, { filters: { [number.filter]: number.value } }, number], // the exact match
        [`"${number.value}"`, { filters }],
      ];
    } else if (current.q) {
      // exact document number first, then the query as typed, then (few matches) the looser query
      const queries = [exactForm(current.q), current.q].filter(Boolean).concat(loose ? [loose] : []);
      searches = queries.map((query) => [query, { filters }]);
    } else {
      // Without words the results are listed newest first. Each part of the index sorts only
      // its own pages, and parts never split a year: so list one year after another.
      const years = current.year || !year ? [""] : [...year.options].map((o) => o.value).filter(Boolean);
      searches = years.map((y) => [null, { filters: y ? { ...filters, year: y } : filters, sort: { date: "desc" } }]);
    }
    const found = [];
    const seen = new Set();
    try {
      const module = await pagefind();
      for (const [query, options, exact] of searches) {
        if (query === loose && loose && found.length >= PAGE_SIZE) break;
        const search = await module.search(query, options);
        if (mine !== token) return;
        for (const result of search ? search.results : []) {
          if (!seen.has(result.id)) {
            seen.add(result.id);
            found.push({ result, exact });
          }
        }
      }
    } catch (error) {
      if (mine === token) unavailable();
      return;
    }
    if (mine !== token) return;
    results = found;
    shown = 0;
    list.replaceChildren();
    if (await showMore(mine)) {
      announce(current);
      section.setAttribute("aria-busy", "false");
    }
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => run(state()), DEBOUNCE_MS);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    run(state());
  });
  input.addEventListener("input", (event) => {
    if (!event.isComposing) soon(); // wait for the IME (拼音) to finish the word
  });
  input.addEventListener("compositionend", soon);
  input.addEventListener("focus", () => pagefind().catch(() => {}), { once: true });
  for (const select of [category, year]) {
    // a search typed just before is due from the timer: this one replaces it, or it would run
    // again afterwards and redraw the list under the reader's eyes (and under a test's)
    if (select)
      select.addEventListener("change", () => {
        window.clearTimeout(timer);
        run(state());
      });
  }
  moreButton.addEventListener("click", async () => {
    const first = shown;
    const current = state();
    if (await showMore(token)) {
      announce(current);
      const next = list.children[first];
      const link = next && next.querySelector("a");
      if (link) link.focus();
    }
  });

  form.hidden = false;
  if (fallback) fallback.hidden = true;

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (category && params.get("category")) category.value = params.get("category");
  if (year && params.get("year")) year.value = params.get("year");
  const initial = state();
  if (initial.q || initial.category || initial.year) run(initial);
}

main();
