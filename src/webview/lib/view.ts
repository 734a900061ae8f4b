/**
 * One view's state, in one place: the message handlers and the controls change it only through
 * `update`, which renders it again. A view has no other module-level mutable state.
 */
export class ViewState<S extends object> {
  private s: S;

  constructor(
    initial: S,
    private readonly render: (state: Readonly<S>, previous: Readonly<S>) => void,
  ) {
    this.s = initial;
  }

  get current(): Readonly<S> {
    return this.s;
  }

  /** Replaces the given parts of the state and renders the view from the new state. */
  update(patch: Partial<S>): void {
    const previous = this.s;
    this.s = { ...previous, ...patch };
    this.render(this.s, previous);
  }
}

/** `{0}`, `{1}`… of a view's string replaced by the arguments. */
export function format(s: string, ...args: Array<string | number>): string {
  let out = s;
  args.forEach((a, i) => (out = out.split(`{${i}}`).join(String(a))));
  return out;
}
