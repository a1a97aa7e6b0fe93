// Expands a VS Code snippet body the way the editor inserts it when every tab stop keeps its default: the snippet
// grammar (tab stops, placeholders, choices, variables, transforms, escapes) parsed into a tree, then rendered.
// Shared by `npm run test:snippets` (check.cjs) and the PostgreSQL snippet test. Grammar after the VS Code docs
// ("Snippet syntax"); our own implementation.
'use strict';

/**
 * @typedef {{ kind: 'text', value: string }
 *   | { kind: 'tabstop', index: number, children?: Node[], choices?: string[], transform?: Transform }
 *   | { kind: 'variable', name: string, children?: Node[], transform?: Transform }} Node
 * @typedef {{ regex: string, format: string, options: string }} Transform
 */

class SnippetSyntaxError extends Error {}

/** Parses a body (string or array of lines) into nodes. Text that is not valid snippet syntax stays text, as in VS Code. */
function parseSnippet(body) {
  const src = Array.isArray(body) ? body.join('\n') : body;
  let pos = 0;

  /** Text up to one of `stops` (unescaped); `\` escapes `$`, `}`, `\` and the stops. */
  function parseNodes(insidePlaceholder) {
    const nodes = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (pos < src.length) {
      const ch = src[pos];
      if (ch === '\\' && pos + 1 < src.length && '$}\\'.includes(src[pos + 1])) {
        text += src[pos + 1];
        pos += 2;
      } else if (ch === '}' && insidePlaceholder) {
        break;
      } else if (ch === '$') {
        const node = parseDollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          text += '$';
          pos++;
        }
      } else {
        text += ch;
        pos++;
      }
    }
    flush();
    return nodes;
  }

  /** At a `$`: a tab stop, placeholder, choice or variable, or undefined (then `$` is literal). */
  function parseDollar() {
    const start = pos;
    const rest = src.slice(pos + 1);
    let m = /^(\d+)/.exec(rest);
    if (m) {
      pos += 1 + m[1].length;
      return { kind: 'tabstop', index: Number(m[1]) };
    }
    m = /^([_a-zA-Z][_a-zA-Z0-9]*)/.exec(rest);
    if (m) {
      pos += 1 + m[1].length;
      return { kind: 'variable', name: m[1] };
    }
    if (rest[0] !== '{') return undefined;
    pos += 2;
    m = /^(\d+|[_a-zA-Z][_a-zA-Z0-9]*)/.exec(src.slice(pos));
    if (!m) return fail(start);
    pos += m[1].length;
    const node = /^\d/.test(m[1]) ? { kind: 'tabstop', index: Number(m[1]) } : { kind: 'variable', name: m[1] };
    const next = src[pos];
    if (next === '}') {
      pos++;
      return node;
    }
    if (next === ':') {
      pos++;
      node.children = parseNodes(true);
      if (src[pos] !== '}') return fail(start);
      pos++;
      return node;
    }
    if (next === '|' && node.kind === 'tabstop') {
      pos++;
      const choices = [];
      let cur = '';
      while (pos < src.length) {
        const ch = src[pos];
        if (ch === '\\' && pos + 1 < src.length && ',|\\$}'.includes(src[pos + 1])) {
          cur += src[pos + 1];
          pos += 2;
        } else if (ch === ',') {
          choices.push(cur);
          cur = '';
          pos++;
        } else if (ch === '|' && src[pos + 1] === '}') {
          choices.push(cur);
          pos += 2;
          node.choices = choices;
          return node;
        } else {
          cur += ch;
          pos++;
        }
      }
      return fail(start);
    }
    if (next === '/') {
      pos++;
      const part = () => {
        let s = '';
        while (pos < src.length && src[pos] !== '/') {
          if (src[pos] === '\\' && pos + 1 < src.length && src[pos + 1] === '/') {
            s += '/';
            pos += 2;
          } else if (src.startsWith('${', pos) && src.indexOf('}', pos) > 0) {
            // `${1:/upcase}` in a format: its `/` does not end the part.
            const end = src.indexOf('}', pos) + 1;
            s += src.slice(pos, end);
            pos = end;
          } else {
            s += src[pos++];
          }
        }
        if (src[pos] !== '/') throw new SnippetSyntaxError(`unterminated transform at ${start}`);
        pos++;
        return s;
      };
      const regex = part();
      const format = part();
      const options = /^[a-z]*/.exec(src.slice(pos))[0];
      pos += options.length;
      if (src[pos] !== '}') return fail(start);
      pos++;
      node.transform = { regex, format, options };
      return node;
    }
    return fail(start);
  }

  /** Not snippet syntax after all: VS Code then inserts the text as is. */
  function fail(start) {
    pos = start;
    return undefined;
  }

  const nodes = parseNodes(false);
  return nodes;
}

/** The default value of each tab stop: its first placeholder's content or its first choice. */
function collectDefaults(nodes, defaults) {
  for (const n of nodes) {
    if (n.kind === 'text') continue;
    if (n.kind === 'tabstop' && !defaults.has(n.index)) {
      if (n.choices) defaults.set(n.index, [{ kind: 'text', value: n.choices[0] }]);
      else if (n.children && n.children.length) defaults.set(n.index, n.children);
    }
    if (n.children) collectDefaults(n.children, defaults);
  }
  return defaults;
}

/** A transform's format string applied to one regex match (`$1`, `${1:/upcase}`, `${1:+if}`, `${1:?if:else}`, `${1:-else}`). */
function formatMatch(format, groups) {
  return format.replace(/\\([$\\/])|\$(\d+)|\$\{(\d+)(?::(\/\w+|\+[^}]*|\?[^:}]*:[^}]*|-[^}]*|[^}]*))?\}/g, (all, esc, plain, num, mod) => {
    if (esc) return esc;
    const g = groups[Number(plain ?? num)];
    if (mod === undefined) return g ?? '';
    if (mod === '/upcase') return (g ?? '').toUpperCase();
    if (mod === '/downcase') return (g ?? '').toLowerCase();
    if (mod === '/capitalize') return g ? g[0].toUpperCase() + g.slice(1) : '';
    if (mod === '/camelcase' || mod === '/pascalcase') {
      const words = (g ?? '').split(/[-_\s]+/).filter(Boolean);
      const cased = words.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
      return mod === '/camelcase' && cased ? cased[0].toLowerCase() + cased.slice(1) : cased;
    }
    if (mod.startsWith('+')) return g ? mod.slice(1) : '';
    if (mod.startsWith('?')) {
      const [ifText, elseText] = mod.slice(1).split(':');
      return g ? ifText : elseText;
    }
    if (mod.startsWith('-')) return g ? g : mod.slice(1);
    return g ? g : mod;
  });
}

function applyTransform(value, t) {
  const re = new RegExp(t.regex, t.options);
  return value.replace(re, (...args) => {
    const groups = args.slice(0, args.findIndex((a) => typeof a === 'number'));
    return formatMatch(t.format, groups);
  });
}

/**
 * Expands a snippet body with every tab stop left at its default (`$0` and stops without a default become empty;
 * a choice takes its first option). `variables` resolves `$TM_FILENAME` and friends; an unknown variable is inserted
 * as its name, as VS Code does.
 */
function expandSnippet(body, variables = {}) {
  const nodes = parseSnippet(body);
  const defaults = collectDefaults(nodes, new Map());
  const rendering = new Set();

  function valueOf(index) {
    if (index === 0 || !defaults.has(index)) return '';
    if (rendering.has(index)) throw new SnippetSyntaxError(`tab stop $${index} refers to itself`);
    rendering.add(index);
    const v = render(defaults.get(index));
    rendering.delete(index);
    return v;
  }

  function render(list) {
    let out = '';
    for (const n of list) {
      if (n.kind === 'text') out += n.value;
      else if (n.kind === 'tabstop') {
        const v = valueOf(n.index);
        out += n.transform ? applyTransform(v, n.transform) : v;
      } else {
        const known = Object.hasOwn(variables, n.name) ? String(variables[n.name]) : undefined;
        let v = known !== undefined && known !== '' ? known : n.children ? render(n.children) : known ?? n.name;
        if (n.transform) v = applyTransform(v, n.transform);
        out += v;
      }
    }
    return out;
  }

  return render(nodes);
}

/** Every tab stop index used in a body, and whether each has a default somewhere. */
function tabStops(body) {
  const nodes = parseSnippet(body);
  const defaults = collectDefaults(nodes, new Map());
  const seen = new Set();
  const walk = (list) => {
    for (const n of list) {
      if (n.kind === 'tabstop') seen.add(n.index);
      if (n.children) walk(n.children);
    }
  };
  walk(nodes);
  return [...seen].sort((a, b) => a - b).map((index) => ({ index, hasDefault: defaults.has(index) }));
}

module.exports = { parseSnippet, expandSnippet, tabStops, SnippetSyntaxError };
