/** Renders a rule's documentation page (docs/rules/<id>.md) from its metadata, so docs and behaviour cannot drift. */
import { docExample, type Rule, type RuleDocExample } from './rule';

function sqlBlock(sql: string): string {
  return ['```sql', sql.trimEnd(), '```'].join('\n');
}

/** An example; for the rollback rules, the up and its down (or the down and its up), each in its own block. */
function exampleBlock(e: RuleDocExample): string {
  const { sql, rollback } = docExample(e);
  if (!rollback) return sqlBlock(sql);
  const label = (what: string, path: string | undefined) => `${what}${path ? ` (\`${path}\`)` : ''}:`;
  if (rollback.role === 'down') {
    const up = rollback.upText === undefined ? [] : [label('Up', rollback.upPath), '', sqlBlock(rollback.upText), ''];
    return [...up, label('Down', undefined), '', sqlBlock(sql)].join('\n');
  }
  const tool = rollback.tool ? `${rollback.tool}, ` : '';
  const down =
    rollback.downText === undefined
      ? [`_No down migration (${tool}downs ${rollback.expectation === 'information' ? 'not used by the tool' : 'expected'})._`]
      : [label('Down', rollback.downPath), '', sqlBlock(rollback.downText)];
  return [label('Up', undefined), '', sqlBlock(sql), '', ...down].join('\n');
}

export function renderRuleDoc(rule: Rule): string {
  const out = [
    `# ${rule.id}`,
    '',
    rule.description,
    '',
    '| category | default severity | recommended | fixable |',
    '|---|---|---|---|',
    `| ${rule.category} | ${rule.defaultSeverity} | ${rule.recommended ? 'yes' : 'no'} | ${rule.fixable ? 'yes' : 'no'} |`,
    '',
    '## Why',
    '',
    rule.docs.rationale,
    '',
    '## What to do',
    '',
    rule.help,
    '',
    '## Flagged',
    '',
    ...rule.docs.bad.flatMap((b) => [exampleBlock(b), '']),
    '## Accepted',
    '',
    ...rule.docs.good.flatMap((g) => [exampleBlock(g), '']),
    '## Silencing',
    '',
    'For one statement, put this comment on the line before it:',
    '',
    sqlBlock(`-- migration-guard-ignore ${rule.id}: <why this is safe here>`),
    '',
    'For a whole file: `-- migration-guard-ignore-file ' + rule.id + ': <reason>`. squawk\'s `-- squawk-ignore` comments work too.',
    '',
    '_Generated from the rule\'s metadata in `server/src/analysis/rules/' + rule.id + '.ts`; edit it there._',
    '',
  ];
  return out.join('\n');
}

/** Renders docs/rules/README.md: every rule with its category, default severity and whether it has a fix. */
export function renderRuleIndex(rules: readonly Rule[]): string {
  const rows = [...rules]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => `| [${r.id}](${r.id}.md) | ${r.category} | ${r.recommended ? r.defaultSeverity : 'off (opt-in)'} | ${r.fixable ? 'yes' : ''} | ${r.description} |`);
  return [
    '# Rules',
    '',
    `${rules.length} rules. Ids match squawk's where the check means the same, so squawk's ignore comments and \`.squawk.toml\` carry over.`,
    'Set a rule\'s severity (or `off`) in `.migration-guard.json`: `{ "rules": { "<id>": "error" } }`.',
    '',
    '| rule | category | default | fix | what it flags |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '_Generated from the rules\' metadata; edit the rule files in `server/src/analysis/rules/`._',
    '',
  ].join('\n');
}
