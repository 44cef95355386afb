// Compares gs_ctl query output with the golden samples by shape: values that vary between runs
// (PIDs, LSNs, addresses, times, directories) become placeholders; names, order, padding, TABs,
// titles and blank-line rules must match byte for byte.
const variableFields = /^(\t(?:sender_pid|receiver_pid|[a-z_]+_location|channel|static_connections|sync_priority)\s+: ).*$/gm;

export function queryShape(text: string): string {
  return text
    .replace(/^\[[^\]]*\]\[\d+\]\[[^\]]*\]\[gs_ctl\]: gs_ctl query ,datadir is .* $/m, '[<time>][<pid>][][gs_ctl]: gs_ctl query ,datadir is <dir> ')
    .replace(variableFields, '$1<value>');
}

// From the first section title on (the standby sample has no banner).
export function sections(text: string): string {
  const at = text.indexOf(' HA state:');
  return at < 0 ? text : text.slice(at);
}
