// Kubernetes `$(VAR)` expansion for env values, command and args: `$(NAME)` becomes NAME's value
// when defined and stays as written otherwise; `$$` is an escaped `$`.

export function expandVars(text: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '$' || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    const close = next === '(' ? text.indexOf(')', i + 2) : -1;
    if (close === -1) {
      out += ch;
      continue;
    }
    const name = text.slice(i + 2, close);
    const value = lookup(name);
    out += value ?? text.slice(i, close + 1);
    i = close;
  }
  return out;
}
