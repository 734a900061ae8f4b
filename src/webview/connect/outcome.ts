/**
 * What the connect form shows once Connect is pressed: the progress list, step by step, and the result —
 * what was created and the next steps (their buttons, marked when the host carried them out), or the
 * error with what was left behind.
 */
import type { ConnectStringKey, ConnectToHost, NextStep, Phase, ProgressStep, ResultView } from '../../shared/protocol/connect';
import { appendAll, byId, clear, h } from '../lib/dom';
import { button } from '../lib/kit';
import type { Words } from './fields';

const ICONS: Record<ProgressStep['status'], string> = {
  pending: '○',
  running: '◐',
  done: '✓',
  failed: '✗',
  'rolled-back': '↺',
  skipped: '–',
};

export function renderProgress(steps: ProgressStep[]): void {
  const section = byId('progress-section');
  const ul = byId('progress');
  if (!section || !ul) return;
  section.hidden = steps.length === 0;
  clear(ul);
  for (const st of steps) {
    ul.append(
      h(
        'li',
        { class: `st-${st.status}`, 'data-testid': `step-${st.id}`, 'data-status': st.status },
        h('span', { class: 'status-icon', 'aria-hidden': 'true' }, ICONS[st.status]),
        h('span', { class: 'sr-only' }, `${st.status}: `),
        st.label,
        st.detail ? h('span', { class: 'muted' }, ` — ${st.detail}`) : null,
      ),
    );
  }
}

/** Which button a next step has, and which host answer marks it done. */
const NEXT_BUTTONS: Partial<Record<NextStep['kind'], { id: string; label: ConnectStringKey; kind: 'open-link' | 'save-file' | 'copy-token' }>> = {
  'open-link': { id: 'next-open-link', label: 'openPartner', kind: 'open-link' },
  'save-file': { id: 'next-save-file', label: 'saveFile', kind: 'save-file' },
  'copy-token': { id: 'next-copy-token', label: 'copyToken', kind: 'copy-token' },
};
export const DONE_BUTTON: Partial<Record<NextStep['kind'], string>> = { opened: 'next-open-link', 'file-saved': 'next-save-file', 'token-copied': 'next-copy-token' };

export function renderResult(r: ResultView | undefined, phase: Phase, t: Words, post: (m: ConnectToHost) => void): void {
  const el = byId('result');
  if (!el || !r) return;
  clear(el);
  el.hidden = false;
  if (r.ok) {
    appendAll(
      el,
      h('h2', {}, t('result')),
      h('div', { class: 'callout success', id: 'result-ok', 'data-testid': 'result-ok', tabindex: -1 }, h('strong', {}, t('connected')), ' — ', r.summary),
      r.resources.length > 0 ? h('div', {}, h('h3', {}, t('resources')), h('ul', { class: 'plain', 'data-testid': 'result-resources' }, r.resources.map((x) => h('li', {}, x)))) : null,
      r.nextSteps.length > 0
        ? h(
            'div',
            { 'data-testid': 'next-steps' },
            h('h3', {}, t('nextSteps')),
            h(
              'ul',
              { class: 'plain' },
              r.nextSteps.map((step) => {
                const b = NEXT_BUTTONS[step.kind];
                return h('li', { 'data-kind': step.kind, id: b ? `${b.id}-item` : undefined }, step.text, b ? ' ' : null, b ? button(b.id, t(b.label), () => post({ type: 'nextStep', kind: b.kind })) : null);
              }),
            ),
          )
        : null,
    );
    reveal('result-ok');
  } else {
    const e = r.error;
    appendAll(
      el,
      h('h2', {}, phase === 'cancelled' ? t('cancel') : t('failed')),
      h(
        'div',
        { class: 'callout error', role: 'alert', id: 'result-error', 'data-testid': 'result-error', tabindex: -1 },
        h('strong', {}, e.title),
        h('p', { 'data-testid': 'result-error-message' }, e.message),
        e.whatToDo ? h('p', { 'data-testid': 'result-error-what-to-do' }, h('strong', {}, `${t('whatToDo')}: `), e.whatToDo) : null,
        e.leftovers.length > 0 ? h('div', {}, h('strong', {}, t('leftovers')), h('ul', { class: 'plain', 'data-testid': 'result-leftovers' }, e.leftovers.map((x) => h('li', {}, x)))) : null,
        button('show-log', t('showLog'), () => post({ type: 'showLog' })),
      ),
    );
    reveal('result-error');
  }
}

/** The marks of next steps the host carried out (the token can be copied once). */
export function renderNextDone(done: Readonly<Record<string, string>>): void {
  for (const [id, text] of Object.entries(done)) {
    const btn = byId<HTMLButtonElement>(id);
    if (!btn || byId(`${id}-done`)) continue;
    if (id === 'next-copy-token') btn.disabled = true;
    byId(`${id}-item`)?.append(h('span', { class: 'ok', 'data-testid': `${id}-done` }, ` ✓ ${text}`));
  }
}

/** Scrolls an element into view and moves keyboard focus to it. */
export function reveal(id: string): void {
  const el = byId(id);
  if (!el) return;
  el.scrollIntoView({ block: 'start' });
  el.focus({ preventScroll: true });
}
