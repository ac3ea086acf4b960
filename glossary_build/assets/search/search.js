/* The site's search box: a names layer answering on each keystroke and a sharded full-text
 * index fetched term by term (the format and the ranking contract: SEARCH-SPEC, written by
 * glossary_build/search_index.py).
 *
 * Plain JavaScript, no build step. Under Node (`module` exists) nothing touches a document:
 * the pure functions (tokens, fnv1a32, names matching, ranking, marks) are exported for the
 * tests. In a browser the box is mounted into Material's header, with Material's own CSS
 * classes, so it looks like the theme's search.
 *
 * Author text (titles, aliases, headings, section text) only ever reaches the page through
 * textContent / createTextNode: never innerHTML.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- tokens (SEARCH-SPEC)

  const HAN_RE = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/u;
  const LETTER_OR_DIGIT_RE = /[\p{L}\p{N}]/u;
  // Python's str.isspace(): JavaScript's \s without U+FEFF, plus U+001C–U+001F and U+0085.
  const SPACE_RE = /[\s\x1c-\x1f\x85]/u;

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function isHan(ch) {
    return HAN_RE.test(ch);
  }

  function isWordChar(ch) {
    return !HAN_RE.test(ch) && LETTER_OR_DIGIT_RE.test(ch);
  }

  function isSpace(ch) {
    return ch !== "\ufeff" && SPACE_RE.test(ch);
  }

  /** The plain terms of `text` in order (repeats kept) and its pair terms. */
  function tokens(text) {
    const chars = Array.from(normalize(text));
    const terms = [];
    const pairs = [];
    let previousWord = null;
    let blankSinceWord = false;
    let i = 0;
    while (i < chars.length) {
      const ch = chars[i];
      let j = i + 1;
      if (isHan(ch)) {
        while (j < chars.length && isHan(chars[j])) j++;
        if (j - i === 1) terms.push(ch);
        else for (let k = i; k + 1 < j; k++) terms.push(chars[k] + chars[k + 1]);
        previousWord = null;
      } else if (isWordChar(ch)) {
        while (j < chars.length && isWordChar(chars[j])) j++;
        const word = chars.slice(i, j).join("");
        terms.push(word);
        if (previousWord !== null && blankSinceWord) pairs.push(previousWord + " " + word);
        previousWord = word;
        blankSinceWord = false;
      } else if (isSpace(ch)) {
        while (j < chars.length && isSpace(chars[j])) j++;
        blankSinceWord = previousWord !== null;
      } else {
        previousWord = null;
        blankSinceWord = false;
      }
      i = j;
    }
    return { terms, pairs };
  }

  /** A query's plain terms and pair terms, each once. */
  function queryTerms(text) {
    const { terms, pairs } = tokens(text);
    return { terms: [...new Set(terms)], pairs: [...new Set(pairs)] };
  }

  const ENCODER = new TextEncoder();

  function fnv1a32(term) {
    let hash = 0x811c9dc5;
    for (const byte of ENCODER.encode(term)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash;
  }

  function shardOf(term, shards) {
    return fnv1a32(term) % shards;
  }

  // ---------------------------------------------------------------- full-text ranking

  const K1 = 1.2;

  /**
   * Ranks pages for a query. `postings(term)` gives a term's flat triple list (page delta,
   * section, tf) or undefined. Returns pages best first:
   * [{d, sections: [{i, all, matched, score}, ...best first]}].
   */
  function rankFullText(query, postings, totalSections) {
    const { terms, pairs } = query;
    const byPage = new Map();
    const add = (term, weight, plain) => {
      const list = postings(term);
      if (!list || list.length < 3) return;
      const idf = Math.log(1 + totalSections / (list.length / 3));
      let page = 0;
      for (let k = 0; k + 2 < list.length; k += 3) {
        page += list[k];
        const section = list[k + 1];
        const tf = list[k + 2];
        let sections = byPage.get(page);
        if (!sections) byPage.set(page, (sections = new Map()));
        let hit = sections.get(section);
        if (!hit) sections.set(section, (hit = { i: section, matched: 0, score: 0 }));
        hit.score += (weight * idf * tf) / (tf + K1);
        if (plain) hit.matched += 1;
      }
    };
    for (const term of terms) add(term, 1, true);
    for (const pair of pairs) add(pair, 2, false);
    const better = (a, b) => b.matched - a.matched || b.score - a.score || a.i - b.i;
    const pages = [];
    for (const [d, sections] of byPage) {
      const hits = [...sections.values()].filter((hit) => hit.matched > 0);
      if (!hits.length) continue;
      hits.sort(better);
      pages.push({ d, sections: hits });
    }
    // AND first (every plain term), then more matched terms, then score: "more matched
    // terms first" is all three in one key.
    pages.sort((a, b) => better(a.sections[0], b.sections[0]) || a.d - b.d);
    return pages;
  }

  // ---------------------------------------------------------------- names layer

  const TIER = {
    exact: 0,
    pinyinExact: 1,
    prefix: 2,
    pinyinPrefix: 3,
    contains: 4,
    typo: 5,
    mixed: 6,
  };
  const KIND_ORDER = { concept: 0, group: 1, note: 2, letter: 3, home: 4, other: 5 };
  const LATIN_RE = /^[a-z0-9](?:[a-z0-9 .,'&+\-]*[a-z0-9])?$/;
  const LATIN_WORD_RE = /[a-z][a-z0-9]*/g;
  const HAS_LATIN_RE = /[a-z]/;
  const ASCII_RE = /^[\x20-\x7e]*$/;
  const SEPARATOR = "\u0001";
  const MIXED_QUERY_LIMIT = 48;

  function squash(text) {
    // NFKC leaves printable ASCII as it is: skip it for the many Latin names.
    const folded = ASCII_RE.test(text) ? text.toLowerCase() : normalize(text);
    return folded.replace(/\s+/gu, " ").replace(/\u0001/g, "").trim();
  }

  function withoutSpaces(text) {
    return text.replace(/ /g, "");
  }

  /**
   * Many strings in one: "\u0001s0\u0001s1…", searched with indexOf (native and fast at
   * 10,000 pages), each string's start and owner page kept to map a match back.
   */
  class Haystack {
    constructor() {
      this.parts = [];
      this.starts = [];
      this.lengths = [];
      this.owners = [];
      this.positions = [];
      this.size = 0;
    }

    /** `position`: where the string is in its page's list (0: the title or its pinyin). */
    add(text, owner, position) {
      this.parts.push(SEPARATOR, text);
      this.starts.push(this.size + 1);
      this.lengths.push(text.length);
      this.owners.push(owner);
      this.positions.push(Math.min(position, 63));
      this.size += text.length + 1;
    }

    seal() {
      this.text = this.parts.join("") + SEPARATOR;
      this.parts = null;
      return this;
    }

    /** Calls found(owner, length, where, position, next) for each occurrence of q (where: 0
     * whole string, 1 at its start, 2 inside it at a word start, 3 inside a Latin word;
     * next: the character after the match, SEPARATOR at the end of the string). */
    each(q, found) {
      if (!q) return;
      const latin = isWordChar(q[0]);
      const text = this.text;
      let at = text.indexOf(q);
      while (at !== -1) {
        let lo = 0;
        let hi = this.starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (this.starts[mid] <= at) lo = mid;
          else hi = mid - 1;
        }
        const start = this.starts[lo];
        const length = this.lengths[lo];
        const where =
          at === start
            ? q.length === length
              ? 0
              : 1
            : latin && isWordChar(text[at - 1])
              ? 3
              : 2;
        found(this.owners[lo], length, where, this.positions[lo], text[at + q.length]);
        at = text.indexOf(q, at + 1);
      }
    }
  }

  // Maps of name → pages hold a number for one page and an array for several: most names
  // belong to one page, and 10,000 small arrays cost more than the map.
  function pushTo(map, key, value) {
    const known = map.get(key);
    if (known === undefined) map.set(key, value);
    else if (typeof known === "number") {
      if (known !== value) map.set(key, [known, value]);
    } else if (known[known.length - 1] !== value) known.push(value);
  }

  function eachOf(map, key, callback) {
    const known = map.get(key);
    if (known === undefined) return;
    if (typeof known === "number") callback(known);
    else for (const value of known) callback(value);
  }

  /**
   * names.json's pages as records {u, t, a, n, k, p}: `p` holds each name's pinyin joined,
   * spaced and (from two syllables) as initials, in the order of the names (the title's
   * first), derived from the spaced forms names.json sends.
   */
  function pagesOf(data) {
    const notes = data.notes || [];
    const kinds = data.kinds || [];
    return data.pages.map(([u, t, a, n, k, spaced]) => {
      const p = [];
      for (const raw of spaced || []) {
        const form = squash(raw);
        if (!form) continue;
        const syllables = form.split(" ");
        p.push(syllables.join(""), form);
        if (syllables.length >= 2) p.push(syllables.map((syllable) => syllable[0]).join(""));
      }
      return { u, t, a: a || [], n: notes[n] || "", k: kinds[k] || "other", p };
    });
  }

  /** Prepares the pages (pagesOf) for matching (done once). */
  function namesIndex(pages) {
    const names = new Haystack();
    const pinyin = new Haystack();
    const whole = new Map(); // name of ≥ 2 characters → pages (the mixed tier)
    const latinByLength = new Map(); // length → Map(Latin name or word → [[page, part]])
    const kinds = new Uint8Array(pages.length);
    for (let d = 0; d < pages.length; d++) {
      const page = pages[d];
      kinds[d] = KIND_ORDER[page.k] ?? KIND_ORDER.other;
      const own = [];
      const latin = [];
      const names_ = page.a && page.a.length ? [page.t, ...page.a] : [page.t];
      names_.forEach((raw, position) => {
        const name = squash(raw);
        if (!name || own.includes(name)) return;
        own.push(name);
        names.add(name, d, position);
        if (name.includes(" ")) {
          const bare = withoutSpaces(name);
          if (!own.includes(bare)) {
            own.push(bare);
            names.add(bare, d, position);
          }
        }
        if (name.length >= 2) pushTo(whole, name, d);
        if (HAS_LATIN_RE.test(name) && LATIN_RE.test(name)) latin.push(name, 0);
      });
      for (const name of own) {
        if (!HAS_LATIN_RE.test(name)) continue;
        for (const word of name.match(LATIN_WORD_RE)) {
          if (!latin.includes(word)) latin.push(word, 500);
        }
      }
      for (let k = 0; k < latin.length; k += 2) {
        const text = latin[k];
        let bucket = latinByLength.get(text.length);
        if (!bucket) latinByLength.set(text.length, (bucket = new Map()));
        pushTo(bucket, text, 2 * d + (latin[k + 1] ? 1 : 0));
      }
      const forms = [];
      (page.p || []).forEach((raw, position) => {
        const form = squash(raw);
        if (form && !forms.includes(form)) {
          forms.push(form);
          pinyin.add(form, d, position);
        }
      });
    }
    return { names: names.seal(), pinyin: pinyin.seal(), whole, latinByLength, kinds };
  }

  // Three rows of the distance table, reused: a keystroke compares thousands of names.
  let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

  /** Optimal string alignment distance of a and b, or limit + 1 when it exceeds `limit`. */
  function editDistance(a, b, limit) {
    const n = a.length;
    const m = b.length;
    if (Math.abs(n - m) > limit) return limit + 1;
    if (m + 1 > rows[0].length) rows = rows.map(() => new Int32Array(2 * m + 2));
    let [before, previous, row] = rows;
    for (let j = 0; j <= m; j++) previous[j] = j;
    for (let i = 1; i <= n; i++) {
      const ai = a.charCodeAt(i - 1);
      const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
      row[0] = i;
      let rowMin = i;
      for (let j = 1; j <= m; j++) {
        const bj = b.charCodeAt(j - 1);
        let value = previous[j - 1] + (ai === bj ? 0 : 1);
        if (previous[j] + 1 < value) value = previous[j] + 1;
        if (row[j - 1] + 1 < value) value = row[j - 1] + 1;
        if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj) {
          if (before[j - 2] + 1 < value) value = before[j - 2] + 1;
        }
        row[j] = value;
        if (value < rowMin) rowMin = value;
      }
      if (rowMin > limit) return limit + 1;
      const spare = before;
      before = previous;
      previous = row;
      row = spare;
    }
    return previous[m] > limit ? limit + 1 : previous[m];
  }

  function typoLimit(query) {
    if (!LATIN_RE.test(query)) return 0;
    const letters = (query.match(/[a-z]/g) || []).length;
    return letters >= 9 ? 2 : letters >= 5 ? 1 : 0;
  }

  /**
   * Whether a query reads as a Latin name followed by a Chinese category (adam优化器,
   * bert 模型, sigmoid激活函数): the queries the mixed tier answers. Other queries that
   * contain a name are phrases and the full-text layer answers them: 控制变量 is not about
   * 变量, 引入mask标记 not about mask, 位置embedding not about embedding.
   */
  function isNamePlusCategory(q) {
    const chars = Array.from(q);
    let split = chars.findIndex(isHan);
    if (split <= 0 || !chars.slice(split).every(isHan)) return false;
    return chars.slice(0, split).some((ch) => /[a-z]/.test(ch));
  }

  /**
   * The mixed tier. The Latin part of a mixed query is usually the name and the Chinese part
   * a category (Adam优化器, BERT模型, Sigmoid激活函数): first a name that is a whole Latin
   * run of the query, then names that start with such a run (sigmoid函数), then any other
   * name inside the query, longer first. A name is never cut out of a Latin word (`fn` is
   * not in `ffn包含`).
   */
  function mixedNames(index, q, take) {
    const runs = [];
    for (let i = 0; i < q.length; ) {
      if (!isWordChar(q[i])) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < q.length && isWordChar(q[j])) j++;
      runs.push(q.slice(i, j));
      i = j;
    }
    for (const run of runs) {
      if (run.length < 2) continue;
      eachOf(index.whole, run, (d) => take(d, TIER.mixed, -3000 - run.length));
      if (run.length < 3) continue;
      index.names.each(run, (d, length, where, position, next) => {
        if (where === 1 && !isWordChar(next)) take(d, TIER.mixed, -2000 + length);
      });
    }
    for (let i = 0; i < q.length; i++) {
      if (i > 0 && isWordChar(q[i]) && isWordChar(q[i - 1])) continue;
      for (let j = i + 2; j <= q.length; j++) {
        if (j - i === q.length) continue;
        if (j < q.length && isWordChar(q[j - 1]) && isWordChar(q[j])) continue;
        eachOf(index.whole, q.slice(i, j), (d) => take(d, TIER.mixed, i - j));
      }
    }
  }

  /**
   * The names layer: pages whose names answer the query, best first, as
   * [{d, tier, key}] (tier: TIER's values; key orders within a tier).
   */
  function matchNames(index, rawQuery) {
    const q = squash(rawQuery);
    if (!q) return [];
    const bareQ = withoutSpaces(q);
    const best = new Map(); // page → [tier, key]
    const take = (d, tier, key) => {
      const known = best.get(d);
      if (!known) best.set(d, [tier, key]);
      else if (tier < known[0] || (tier === known[0] && key < known[1])) {
        known[0] = tier;
        known[1] = key;
      }
    };
    const queries = bareQ === q ? [q] : [q, bareQ];
    for (const query of queries) {
      // Within a tier: the title before an alias (the page called 批量 before the page that
      // has 批量 as an alias), then the shorter name.
      index.names.each(query, (d, length, where, position) => {
        if (where === 0) take(d, TIER.exact, position);
        else if (where === 1) take(d, TIER.prefix, length * 64 + position);
        else if (where === 2) take(d, TIER.contains, length * 64 + position);
      });
      index.pinyin.each(query, (d, length, where, position) => {
        if (where === 0) take(d, TIER.pinyinExact, position);
        else if (where === 1) take(d, TIER.pinyinPrefix, length * 64 + position);
      });
    }
    const limit = typoLimit(q);
    if (limit) {
      for (let length = q.length - limit; length <= q.length + limit; length++) {
        const bucket = index.latinByLength.get(length);
        if (!bucket) continue;
        for (const text of bucket.keys()) {
          const distance = editDistance(q, text, limit);
          if (distance > limit) continue;
          // Each owner is 2 * page + 1 when the text is a word inside a longer name.
          eachOf(bucket, text, (owner) => {
            take(owner >> 1, TIER.typo, distance * 1000 + (owner & 1) * 500 + length);
          });
        }
      }
    }
    if (q.length <= MIXED_QUERY_LIMIT && isNamePlusCategory(q)) mixedNames(index, q, take);
    const hits = [];
    for (const [d, [tier, key]] of best) hits.push({ d, tier, key });
    const kinds = index.kinds;
    hits.sort((a, b) => a.tier - b.tier || a.key - b.key || kinds[a.d] - kinds[b.d] || a.d - b.d);
    return hits;
  }

  /**
   * One result list: the names layer's pages first, in its order, then the full-text pages
   * not already listed. Each item: {d, names: hit|null, text: ranked page|null}.
   */
  function mergeResults(namesHits, textPages) {
    const byPage = new Map();
    const merged = [];
    for (const hit of namesHits) {
      const item = { d: hit.d, names: hit, text: null };
      byPage.set(hit.d, item);
      merged.push(item);
    }
    for (const page of textPages || []) {
      const known = byPage.get(page.d);
      if (known) known.text = page;
      else merged.push({ d: page.d, names: null, text: page });
    }
    return merged;
  }

  // ---------------------------------------------------------------- marks and snippets

  /** `text` normalised code point by code point, with each unit's span in `text`. */
  function normalizedWithOffsets(text) {
    let norm = "";
    const from = [];
    const to = [];
    let offset = 0;
    for (const ch of text) {
      const mapped = normalize(ch);
      for (let u = 0; u < mapped.length; u++) {
        from.push(offset);
        to.push(offset + ch.length);
      }
      norm += mapped;
      offset += ch.length;
    }
    return { norm, from, to };
  }

  /** The needles to mark for a query: its plain terms (single Latin letters only alone). */
  function markNeedles(query) {
    const { terms } = queryTerms(query);
    const needles = terms.filter((t) => terms.length === 1 || !/^[a-z0-9]$/.test(t));
    return needles.sort((a, b) => b.length - a.length);
  }

  /**
   * Where the needles occur in `text`: merged [start, end) ranges of `text` (adjacent
   * matches join: 数据 + 容器 mark 数据容器 once). A Latin needle matches at the start of a
   * word only.
   */
  function markRanges(text, needles) {
    if (!needles.length || !text) return [];
    const { norm, from, to } = normalizedWithOffsets(text);
    const found = [];
    for (const needle of needles) {
      const latin = isWordChar(needle[0]) && !isHan(needle[0]);
      let at = norm.indexOf(needle);
      while (at !== -1) {
        const before = at > 0 ? norm[at - 1] : "";
        if (!latin || !before || !isWordChar(before)) {
          found.push([from[at], to[at + needle.length - 1], needle]);
        }
        at = norm.indexOf(needle, at + 1);
      }
    }
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged = [];
    for (const [start, end, needle] of found) {
      const last = merged[merged.length - 1];
      if (last && start <= last[1]) {
        last[1] = Math.max(last[1], end);
        last[2].add(needle);
      } else merged.push([start, end, new Set([needle])]);
    }
    return merged;
  }

  const SNIPPET_LENGTH = 120;
  const SNIPPET_BEFORE = 24;

  /**
   * A window of `text` around its best cluster of matches, as segments
   * [{text, mark}], with "…" where it is cut.
   */
  function snippet(text, needles, length = SNIPPET_LENGTH) {
    if (!text) return [];
    const ranges = markRanges(text, needles);
    let start = 0;
    if (ranges.length) {
      let best = -1;
      for (let r = 0; r < ranges.length; r++) {
        const seen = new Set();
        for (let s = r; s < ranges.length && ranges[s][0] < ranges[r][0] + length; s++) {
          for (const needle of ranges[s][2]) seen.add(needle);
        }
        if (seen.size > best) {
          best = seen.size;
          start = ranges[r][0];
        }
      }
      start = Math.max(0, start - SNIPPET_BEFORE);
    }
    let end = Math.min(text.length, start + length);
    if (end - start < length) start = Math.max(0, end - length);
    // Never cut a surrogate pair.
    if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start -= 1;
    if (end < text.length && /[\udc00-\udfff]/.test(text[end])) end += 1;
    const segments = [];
    if (start > 0) segments.push({ text: "…", mark: false });
    let at = start;
    for (const [a, b] of ranges) {
      if (b <= start || a >= end) continue;
      const from = Math.max(a, start);
      const to = Math.min(b, end);
      if (from > at) segments.push({ text: text.slice(at, from), mark: false });
      segments.push({ text: text.slice(from, to), mark: true });
      at = to;
    }
    if (at < end) segments.push({ text: text.slice(at, end), mark: false });
    if (end < text.length) segments.push({ text: "…", mark: false });
    return segments;
  }

  /** `text` as segments with every match marked (titles, aliases, headings). */
  function marked(text, needles) {
    const segments = [];
    let at = 0;
    for (const [a, b] of markRanges(text, needles)) {
      if (a > at) segments.push({ text: text.slice(at, a), mark: false });
      segments.push({ text: text.slice(a, b), mark: true });
      at = b;
    }
    if (at < text.length) segments.push({ text: text.slice(at), mark: false });
    return segments;
  }

  const api = {
    TIER,
    editDistance,
    fnv1a32,
    markNeedles,
    markRanges,
    marked,
    matchNames,
    mergeResults,
    namesIndex,
    normalize,
    pagesOf,
    queryTerms,
    rankFullText,
    shardOf,
    snippet,
    tokens,
  };

  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
    return;
  }

  // ================================================================ the browser

  const LABELS = {
    search: "搜索",
    placeholder: "搜索",
    clear: "清空",
    start: "键入以开始搜索",
    loading: "正在加载索引…",
    none: "没有找到结果",
    failed: "搜索索引加载失败",
    count: (n) => `${n} 个结果`,
    kinds: { note: "笔记", group: "分组", letter: "索引", home: "首页", other: "页面" },
  };
  const SHOWN = 20;
  const EAGER = 6;
  const SUBSECTIONS = 3;
  const DEBOUNCE_MS = 40;
  const SVG_NS = "http://www.w3.org/2000/svg";
  // Material Design Icons (Apache 2.0), as Material for MkDocs draws them.
  const ICONS = {
    magnify:
      "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5",
    back: "M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z",
    close:
      "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
  };

  const script = document.currentScript;
  const ROOT = script
    ? new URL("../", script.src)
    : new URL(siteBaseFromConfig() + "/", location.href);

  function siteBaseFromConfig() {
    const config = document.getElementById("__config");
    try {
      return (config && JSON.parse(config.textContent).base) || ".";
    } catch (error) {
      return ".";
    }
  }

  // ---------------------------------------------------------------- fetching

  const fetched = new Map();

  /** A file of the index, fetched once per page. `missing`: the value of a file that does
   * not exist (the emitter writes no term shard that no term falls in). */
  function fetchJSON(path, missing) {
    let promise = fetched.get(path);
    if (!promise) {
      promise = fetch(new URL(path, ROOT), { credentials: "same-origin" }).then((response) => {
        if (response.status === 404 && missing !== undefined) return missing;
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        return response.json();
      });
      promise.catch(() => fetched.delete(path));
      fetched.set(path, promise);
    }
    return promise;
  }

  let namesPromise = null;
  let namesReady = false;

  function loadNames() {
    if (!namesPromise) {
      namesPromise = fetchJSON("search/names.json").then((data) => {
        const pages = pagesOf(data);
        const index = namesIndex(pages);
        namesReady = true;
        if (ui) ui.result.dataset.names = "ready";
        return { data, pages, index };
      });
      namesPromise.catch(() => {
        namesPromise = null;
      });
    }
    return namesPromise;
  }

  function loadShard(names, term) {
    const shard = shardOf(term, names.data.shards).toString(16);
    return fetchJSON(`search/terms/${shard}.json`, {}).then(
      (shard) => (Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : undefined),
    );
  }

  function chunkOf(names, d) {
    return Math.floor(d / names.data.chunk);
  }

  function loadChunk(names, c) {
    return fetchJSON(`search/text/${c}.json`).then((chunk) => {
      loadedChunks.set(c, chunk);
      return chunk;
    });
  }

  const loadedChunks = new Map();

  // ---------------------------------------------------------------- DOM helpers

  function element(tag, className, attributes) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    return node;
  }

  function icon(path) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const shape = document.createElementNS(SVG_NS, "path");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    return svg;
  }

  /** Appends segments [{text, mark}] as text nodes and <mark> elements. */
  function appendSegments(parent, segments) {
    for (const segment of segments) {
      if (segment.mark) {
        const mark = document.createElement("mark");
        mark.textContent = segment.text;
        parent.appendChild(mark);
      } else parent.appendChild(document.createTextNode(segment.text));
    }
    return parent;
  }

  // ---------------------------------------------------------------- the box

  /** Material's search markup (its CSS styles it), without its data-md-component hooks. */
  function buildBox() {
    const button = element("label", "md-header__button md-icon gb-search-button", {
      for: "__search",
      title: LABELS.search,
      "aria-label": LABELS.search,
    });
    button.appendChild(icon(ICONS.magnify));

    const box = element("div", "md-search gb-search", { role: "dialog" });
    box.setAttribute("aria-label", LABELS.search);
    box.appendChild(element("label", "md-search__overlay", { for: "__search" }));
    const inner = element("div", "md-search__inner", { role: "search" });
    const form = element("form", "md-search__form", { name: "gb-search" });
    const input = element("input", "md-search__input", {
      type: "text",
      name: "query",
      "aria-label": LABELS.search,
      placeholder: LABELS.placeholder,
      autocapitalize: "off",
      autocorrect: "off",
      autocomplete: "off",
      spellcheck: "false",
      required: "",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": "gb-search-results",
    });
    const inputIcon = element("label", "md-search__icon md-icon", { for: "__search" });
    inputIcon.append(icon(ICONS.magnify), icon(ICONS.back));
    const options = element("nav", "md-search__options", { "aria-label": LABELS.search });
    const reset = element("button", "md-search__icon md-icon", {
      type: "reset",
      title: LABELS.clear,
      "aria-label": LABELS.clear,
      tabindex: "-1",
    });
    reset.appendChild(icon(ICONS.close));
    options.appendChild(reset);
    form.append(input, inputIcon, options);

    const output = element("div", "md-search__output");
    const scroll = element("div", "md-search__scrollwrap", { tabindex: "0" });
    const result = element("div", "md-search-result gb-search-result", { "aria-live": "polite" });
    const meta = element("div", "md-search-result__meta");
    meta.textContent = LABELS.start;
    const list = element("ol", "md-search-result__list", {
      role: "listbox",
      id: "gb-search-results",
      "aria-label": LABELS.search,
    });
    result.append(meta, list);
    scroll.appendChild(result);
    output.appendChild(scroll);
    inner.append(form, output);
    box.appendChild(inner);
    return { button, box, form, input, reset, scroll, result, meta, list };
  }

  let ui = null;

  function toggle() {
    return document.getElementById("__search");
  }

  function open() {
    const checkbox = toggle();
    if (checkbox && !checkbox.checked) checkbox.checked = true;
    ui.input.setAttribute("aria-expanded", "true");
    loadNames().catch(() => {});
  }

  function close() {
    const checkbox = toggle();
    if (checkbox) checkbox.checked = false;
    ui.input.setAttribute("aria-expanded", "false");
    ui.input.blur();
  }

  function isEditable(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  function mount() {
    const header = document.querySelector(".md-header__inner");
    if (!header) return;
    if (!header.querySelector(".gb-search")) {
      if (!ui) ui = wire(buildBox());
      const source = header.querySelector(".md-header__source");
      header.insertBefore(ui.button, source);
      header.insertBefore(ui.box, source);
    }
    highlightLanding();
  }

  function wire(parts) {
    const { form, input, list } = parts;
    input.addEventListener("focus", open);
    input.addEventListener("input", () => search(input.value));
    input.addEventListener("keydown", (event) => onKey(event));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("reset", () => {
      setTimeout(() => {
        search("");
        input.focus();
      });
    });
    list.addEventListener("mousemove", (event) => {
      const link = event.target instanceof Element && event.target.closest("a");
      if (link) setActive(links().indexOf(link), false);
    });
    return parts;
  }

  function onGlobalKey(event) {
    if (!ui || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if ((event.key === "/" || event.key === "s") && !isEditable(event.target)) {
      event.preventDefault();
      event.stopPropagation();
      open();
      ui.input.focus();
      ui.input.select();
    }
  }

  function onToggle(event) {
    if (!ui || event.target !== toggle()) return;
    if (event.target.checked) {
      ui.input.setAttribute("aria-expanded", "true");
      ui.input.focus();
      loadNames().catch(() => {});
    } else {
      ui.input.setAttribute("aria-expanded", "false");
      ui.input.blur();
    }
  }

  // ---------------------------------------------------------------- keyboard in the box

  let active = -1;

  function links() {
    return ui ? Array.from(ui.list.querySelectorAll("a.md-search-result__link")) : [];
  }

  function setActive(index, scroll = true) {
    const all = links();
    all.forEach((link, n) => {
      const on = n === index;
      link.classList.toggle("gb-search-active", on);
      link.setAttribute("aria-selected", on ? "true" : "false");
    });
    active = index >= 0 && index < all.length ? index : -1;
    if (active >= 0) {
      ui.input.setAttribute("aria-activedescendant", all[active].id);
      if (scroll) all[active].scrollIntoView({ block: "nearest" });
    } else ui.input.removeAttribute("aria-activedescendant");
  }

  function onKey(event) {
    if (event.isComposing) return;
    const all = links();
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (all.length) setActive(active < 0 ? 0 : (active + 1) % all.length);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (all.length) setActive(active <= 0 ? all.length - 1 : active - 1);
        break;
      case "Enter": {
        event.preventDefault();
        const target = all[active >= 0 ? active : 0];
        if (target) {
          close();
          target.click();
        }
        break;
      }
      case "Escape":
        event.preventDefault();
        close();
        break;
      default:
    }
  }

  // ---------------------------------------------------------------- searching

  let generation = 0;
  let timer = 0;
  let current = { query: "", names: [] };

  function setState(query, state) {
    ui.result.dataset.query = query;
    ui.result.dataset.state = state;
  }

  function search(raw) {
    const query = raw.trim();
    const mine = ++generation;
    clearTimeout(timer);
    if (!query) {
      current = { query: "", names: [] };
      renderMessage(LABELS.start);
      setState("", "idle");
      return;
    }
    loadNames().then(
      (names) => {
        if (mine !== generation) return;
        // The names layer answers at once; the full text follows after a short pause.
        current = { query, names: matchNames(names.index, query) };
        render(names, query, mergeResults(current.names, null), false);
        setState(query, "names");
        timer = setTimeout(() => fullText(names, query, mine), DEBOUNCE_MS);
      },
      () => {
        if (mine !== generation) return;
        renderMessage(LABELS.failed);
        setState(query, "failed");
      },
    );
    if (!namesReady) renderMessage(LABELS.loading);
  }

  async function fullText(names, query, mine) {
    const terms = queryTerms(query);
    const all = [...terms.terms, ...terms.pairs];
    let found;
    try {
      const lists = await Promise.all(all.map((term) => loadShard(names, term)));
      if (mine !== generation) return;
      const byTerm = new Map(all.map((term, n) => [term, lists[n]]));
      found = rankFullText(terms, (term) => byTerm.get(term), names.data.sections);
    } catch (error) {
      if (mine !== generation) return;
      found = [];
    }
    const results = mergeResults(current.names, found);
    // Snippets of the first results come with them; the others' text chunks are fetched
    // when they are scrolled into view (observeSnippets).
    const chunks = new Set(results.slice(0, EAGER).map((item) => chunkOf(names, item.d)));
    try {
      await Promise.all([...chunks].map((c) => loadChunk(names, c)));
    } catch (error) {
      // Snippets are missing; the results are still shown.
    }
    if (mine !== generation) return;
    render(names, query, results, true);
    setState(query, "done");
  }

  function renderMessage(text) {
    ui.meta.textContent = text;
    ui.list.replaceChildren();
    setActive(-1);
  }

  function pageUrl(page, query, anchor) {
    const url = new URL(page.u, ROOT);
    url.searchParams.set("h", query);
    if (anchor) url.hash = anchor;
    return url.href;
  }

  /** A page's sections [anchor, heading, text] from its text chunk ([] until fetched). */
  function sectionsOf(names, d) {
    const chunk = loadedChunks.get(chunkOf(names, d));
    return (chunk && chunk[d % names.data.chunk]) || [];
  }

  function sectionText(names, d, i) {
    const section = sectionsOf(names, d)[i];
    return (section && section[2]) || "";
  }

  let linkCount = 0;

  function resultLink(href, document_) {
    const link = element("a", "md-search-result__link", {
      href,
      tabindex: "-1",
      role: "option",
      id: `gb-search-option-${linkCount++}`,
    });
    const article = element(
      "article",
      "md-search-result__article md-typeset" +
        (document_ ? " md-search-result__article--document" : ""),
    );
    link.appendChild(article);
    return { link, article };
  }

  let shownResults = null;
  let snippetObserver = null;

  function render(names, query, results, complete) {
    const previous = links()[active];
    const keep = previous ? previous.getAttribute("href") : null;
    const needles = markNeedles(query);
    const fragment = document.createDocumentFragment();
    shownResults = { names, query, needles, results, generation };
    results.slice(0, SHOWN).forEach((item, n) => {
      fragment.appendChild(renderItem(names, query, needles, item, n));
    });
    if (results.length || complete) {
      ui.meta.textContent = results.length ? LABELS.count(results.length) : LABELS.none;
    }
    ui.list.replaceChildren(fragment);
    const again = keep ? links().findIndex((link) => link.getAttribute("href") === keep) : -1;
    setActive(again, false);
    if (complete) observeSnippets();
  }

  /** Fetches the text chunk of a result without its snippet once it is nearly in view. */
  function observeSnippets() {
    if (!("IntersectionObserver" in window)) return;
    if (!snippetObserver) {
      snippetObserver = new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (!entry.isIntersecting) continue;
            snippetObserver.unobserve(entry.target);
            fillSnippet(entry.target);
          }
        },
        { root: ui.scroll, rootMargin: "200px 0px" },
      );
    }
    snippetObserver.disconnect();
    for (const li of ui.list.querySelectorAll("li[data-gb-pending]")) snippetObserver.observe(li);
  }

  function fillSnippet(li) {
    const shown = shownResults;
    if (!shown) return;
    const n = Number(li.dataset.gbIndex);
    const item = shown.results[n];
    loadChunk(shown.names, chunkOf(shown.names, item.d)).then(
      () => {
        if (shown !== shownResults || !li.isConnected) return;
        const activeHref = links()[active] ? links()[active].getAttribute("href") : null;
        li.replaceWith(renderItem(shown.names, shown.query, shown.needles, item, n));
        const again = links().findIndex((link) => link.getAttribute("href") === activeHref);
        setActive(activeHref ? again : -1, false);
      },
      () => {},
    );
  }

  function renderItem(names, query, needles, item, n) {
    const page = names.pages[item.d];
    const sections = sectionsOf(names, item.d);
    const hits = item.text ? item.text.sections : [];
    const best = hits.length ? hits[0] : null;
    const li = element("li", "md-search-result__item", { role: "none" });
    li.dataset.gbIndex = String(n);
    if (!loadedChunks.has(chunkOf(names, item.d))) li.dataset.gbPending = "";

    const mainSection = mainSectionOf(names, item, hits);
    const main = sections[mainSection];
    const anchor = !item.names && mainSection > 0 && main ? main[0] : "";
    const { link, article } = resultLink(pageUrl(page, query, anchor), true);
    article.appendChild(element("div", "md-search-result__icon md-icon"));
    appendSegments(article.appendChild(element("h1")), marked(page.t, needles));
    if (page.a && page.a.length) {
      const aliases = article.appendChild(element("p", "gb-search-aliases"));
      page.a.forEach((alias, n) => {
        if (n) aliases.appendChild(document.createTextNode(" · "));
        appendSegments(aliases, marked(alias, needles));
      });
    }
    const where = [page.n || (page.k === "concept" ? "" : LABELS.kinds[page.k] || "")];
    if (best && mainSection > 0 && main) where.push(main[1]);
    if (where.some(Boolean)) {
      article.appendChild(element("p", "gb-search-where")).textContent = where
        .filter(Boolean)
        .join(" · ");
    }
    const text = sectionText(names, item.d, mainSection);
    if (text) {
      appendSegments(
        article.appendChild(element("p", "md-search-result__teaser gb-search-snippet")),
        snippet(text, needles),
      );
    }
    li.appendChild(link);

    let shown = 0;
    for (const hit of hits) {
      if (shown >= SUBSECTIONS) break;
      if (hit.i === 0 || hit.i === mainSection) continue;
      if (!sections[hit.i]) break; // the headings come with the text chunk
      const [anchor, heading] = sections[hit.i];
      const sub = resultLink(pageUrl(page, query, anchor), false);
      appendSegments(sub.article.appendChild(element("h2")), marked(heading, needles));
      const subText = sectionText(names, item.d, hit.i);
      if (subText) {
        appendSegments(
          sub.article.appendChild(element("p", "md-search-result__teaser gb-search-snippet")),
          snippet(subText, needles, 80),
        );
      }
      li.appendChild(sub.link);
      shown += 1;
    }
    return li;
  }

  /**
   * The section a result's snippet comes from: the best matching section with text (for a
   * names hit, its page top if that matched: the title and aliases count for section 0
   * whose text may be empty), else the first section with text.
   */
  function mainSectionOf(names, item, hits) {
    const withText = hits.filter((hit) => sectionText(names, item.d, hit.i));
    if (item.names && withText.some((hit) => hit.i === 0)) return 0;
    if (withText.length) return withText[0].i;
    if (hits.length && !loadedChunks.has(chunkOf(names, item.d))) {
      return item.names ? 0 : hits[0].i;
    }
    return firstText(names, item.d);
  }

  function firstText(names, d) {
    const sections = sectionsOf(names, d);
    for (let i = 0; i < sections.length; i++) if (sections[i][2]) return i;
    return 0;
  }

  // ---------------------------------------------------------------- the page landed on

  let highlighted = null;
  const SKIP_MARKING = "script, style, svg, mark, .katex, .headerlink, .md-search, .md-tooltip2";

  /** Marks the search's words in the article (`?h=` of a result link), text nodes only. */
  function highlightLanding() {
    const article = document.querySelector("article.md-content__inner");
    const query = new URLSearchParams(location.search).get("h");
    if (!article || !query || highlighted === article) return;
    highlighted = article;
    const needles = markNeedles(query);
    if (!needles.length) return;
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement && node.parentElement.closest(SKIP_MARKING)
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    let first = null;
    for (const node of nodes) {
      const ranges = markRanges(node.data, needles);
      for (let r = ranges.length - 1; r >= 0; r--) {
        const [start, end] = ranges[r];
        const hit = node.splitText(start);
        hit.splitText(end - start);
        const mark = document.createElement("mark");
        mark.className = "gb-search-hit";
        hit.parentNode.replaceChild(mark, hit);
        mark.appendChild(hit);
        if (r === 0 && !first) first = mark;
      }
    }
    if (first && !location.hash) first.scrollIntoView({ block: "center" });
  }

  // ---------------------------------------------------------------- start

  function start() {
    document.addEventListener("keydown", onGlobalKey, true);
    document.addEventListener("change", onToggle);
    mount();
    // Material's instant navigation replaces the page's content: mount again on each
    // document it emits (document$), or when the header is swapped without it.
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(() => mount());
    } else {
      new MutationObserver(() => mount()).observe(document.body, { childList: true });
    }
    const later = () =>
      (window.requestIdleCallback || ((f) => setTimeout(f, 1)))(() => {
        loadNames().catch(() => {});
      });
    if (document.readyState === "complete") later();
    else window.addEventListener("load", later, { once: true });
  }

  start();
})();
