/** Engine errors → the form's inline error view and field problems. No `vscode` import. */
import * as l10n from '@vscode/l10n';
import type { ErrorView, FieldProblem } from '../../shared/protocol/connect';
import { explainError } from '../ui/explainError';
import { localizeTimes } from '../ui/time';
import { BLOCKER_CODES } from './connectText';

export function problemField(code: string): FieldProblem['field'] {
  if (code.startsWith('catalog') || code === 'default-catalog-not-owned' || code === 'unity-catalog-unavailable') return 'catalog';
  if (code.startsWith('schema') || code === 'too-many-schemas') return 'schemas';
  if (code.startsWith('warehouse')) return 'warehouse';
  if (code.startsWith('destination')) return 'destinationLocation';
  if (code.startsWith('lifetime')) return 'credentialLifetime';
  return 'general';
}

/** The problems a choice in the form can fix, by field (blockers are shown once, above the form). */
export function preflightProblemsToFields(problems: ReadonlyArray<{ code: string; message: string }>): FieldProblem[] {
  return problems.filter((p) => !BLOCKER_CODES.has(p.code)).map((p) => ({ field: problemField(p.code), message: localizeTimes(p.message) }));
}

/** The form's inline error: the one explanation (ui/explainError.ts), "Connection failed" where no case knows the error. */
export function errorView(e: unknown): ErrorView {
  const { title, message, whatToDo, code, leftovers } = explainError(e, l10n.t('Connection failed'));
  return { title, message, whatToDo, code, leftovers };
}
