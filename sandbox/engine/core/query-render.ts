// gs_ctl query text (opengauss.md §2.3, byte format): titles " %-20s\n", fields "\t%-30s : %s\n",
// a blank line after every row, "No information \n" for an empty result set.
export type QueryRow = ReadonlyArray<readonly [string, string]>;
export type QuerySections = { readonly ha: readonly QueryRow[]; readonly senders: readonly QueryRow[]; readonly receivers: readonly QueryRow[] };

function renderSection(title: string, rows: readonly QueryRow[]): string {
  let out = ` ${title.padEnd(20)}\n`;
  if (rows.length === 0) return `${out}No information \n`;
  for (const row of rows) {
    for (const [name, value] of row) out += `\t${name.padEnd(30)} : ${value}\n`;
    out += '\n';
  }
  return out;
}

export function renderQuerySections(sections: QuerySections): string {
  return renderSection('HA state:', sections.ha) + renderSection('Senders info:', sections.senders) + renderSection('Receiver info:', sections.receivers);
}

// The layout printed when gs_ctl cannot run SQL locally (§2.3 fallback): 8-space indent, "%-30s: ".
export function renderFallbackQuery(fields: QueryRow): string {
  let out = ' HA state:\n';
  for (const [name, value] of fields) out += `        ${name.padEnd(30)}: ${value}\n`;
  out += '\n Senders info:\n        No information\n Receiver info:\n        No information\n';
  return out;
}
