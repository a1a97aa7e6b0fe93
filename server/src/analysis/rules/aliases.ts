/** Rule-name aliases; a leaf module (no imports) so suppressions and config can use it without import cycles. */
/**
 * Other names users' comments and configs may use for our rules: squawk prints `prefer-timestamp-tz` for the rule
 * its docs (and we) call `prefer-timestamptz`.
 */
const RULE_ALIASES: ReadonlyMap<string, string> = new Map([['prefer-timestamp-tz', 'prefer-timestamptz']]);

/** The rule id a name refers to (an alias becomes its rule's id; anything else is returned as given). */
export function canonicalRuleId(name: string): string {
  return RULE_ALIASES.get(name) ?? name;
}
