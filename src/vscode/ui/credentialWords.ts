/**
 * The words of rotating a partner's credential, by its kind (no `vscode` import): a personal access
 * token on AWS and GCP, an OAuth secret on Azure and for partners that ask for AUTH_OAUTH_M2M
 * (domain `connectionCredentialKind` says which a connection has). The command's title in the palette
 * and the tree's menu stays "Rotate Credential…": a menu entry cannot change with the item.
 */
import * as l10n from '@vscode/l10n';
import type { CredentialKind } from '../../domain';

export interface RotateWords {
  /** the action, e.g. on a button or a notification: "Rotate Token…" / "Rotate OAuth Secret…" */
  action: string;
  /** the modal's question */
  question(partner: string, ws: string): string;
  /** the modal's buttons */
  confirm: string;
  keep: string;
  /** when the principal holds none */
  noneNow: string;
  progress(partner: string): string;
  /** the notification's button that copies the new value once */
  copy: string;
}

export function rotateWords(kind: CredentialKind): RotateWords {
  return kind === 'pat'
    ? {
        action: l10n.t('Rotate Token…'),
        question: (p, ws) => l10n.t('Rotate the token of {0} in {1}?', p, ws),
        confirm: l10n.t('Rotate Token'),
        keep: l10n.t('Keep Current Token'),
        noneNow: l10n.t('(no current token)'),
        progress: (p) => l10n.t('Rotating the token of {0}…', p),
        copy: l10n.t('Copy Token (once)'),
      }
    : {
        action: l10n.t('Rotate OAuth Secret…'),
        question: (p, ws) => l10n.t('Rotate the OAuth secret of {0} in {1}?', p, ws),
        confirm: l10n.t('Rotate OAuth Secret'),
        keep: l10n.t('Keep Current Secret'),
        noneNow: l10n.t('(no current OAuth secret)'),
        progress: (p) => l10n.t('Rotating the OAuth secret of {0}…', p),
        copy: l10n.t('Copy Secret (once)'),
      };
}
