/** Fault injection rules and the request log types. */

export interface FaultRule {
  /** e.g. 'POST'; default: any method */
  method?: string;
  /** exact URL path, a prefix ending with '*', or a RegExp tested against the path */
  path: string | RegExp;
  /** act starting at the nth matching request (1-based); default: from the first */
  nth?: number;
  /** how many consecutive matching requests the rule acts on; default 1 when nth is set, else unlimited */
  times?: number;
  /** scripted answer; a status ≥ 400 without body/rawBody gets a standard error body */
  status?: number;
  body?: unknown;
  /** raw response text (wins over body), e.g. an HTML login page or a truncated JSON */
  rawBody?: string;
  headers?: Record<string, string>;
  /** destroy the connection without answering (TCP reset) */
  reset?: boolean;
  /** latency before handling (or before the scripted answer) */
  delayMs?: number;
  /** run the real handler first (the server did the work), then give the scripted answer / reset */
  after?: boolean;
  /**
   * Called when the rule acts, once the request has arrived (body read), before anything else; the
   * request waits for it. Without status/body/reset/delay the request is then handled normally: a test
   * cancels the operation (aborts its signal) or SIGKILLs the process that sent it at request N.
   */
  onMatch?: (request: RecordedRequest) => void | Promise<void>;
}

export interface FaultInjector {
  add(rule: FaultRule): void;
  clear(): void;
  /** The rule that would act on the next request to this method + path (nothing is counted). */
  next(method: string, path: string): FaultRule | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** 0 = the connection was reset by a fault */
  status: number;
  /** principal name (userName / applicationId), '' when unauthenticated; never the token */
  auth: string;
  at: number;
  /** true when an injected fault acted on this request */
  faulted?: boolean;
}

interface LiveRule {
  rule: FaultRule;
  seen: number;
  fired: number;
}

export class Faults implements FaultInjector {
  private rules: LiveRule[] = [];

  add(rule: FaultRule): void {
    if (rule.nth !== undefined && (!Number.isInteger(rule.nth) || rule.nth < 1)) throw new Error('FaultRule.nth must be a positive integer');
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) throw new Error('FaultRule.times must be a positive integer');
    this.rules.push({ rule, seen: 0, fired: 0 });
  }
  clear(): void {
    this.rules = [];
  }
  /** Counts the request against every matching rule and returns the first rule that acts on it. */
  match(method: string, path: string): FaultRule | undefined {
    let chosen: FaultRule | undefined;
    for (const lr of this.matching(method, path)) {
      lr.seen += 1;
      if (chosen || !acts(lr, lr.seen)) continue;
      lr.fired += 1;
      chosen = lr.rule;
    }
    return chosen;
  }
  next(method: string, path: string): FaultRule | undefined {
    return this.matching(method, path).find((lr) => acts(lr, lr.seen + 1))?.rule;
  }
  private matching(method: string, path: string): LiveRule[] {
    return this.rules.filter(({ rule: r }) => (r.method === undefined || r.method.toUpperCase() === method.toUpperCase()) && pathMatches(r.path, path));
  }
}

/** Whether a rule acts on the matching request number `seen`. */
function acts(lr: LiveRule, seen: number): boolean {
  const start = lr.rule.nth ?? 1;
  const times = lr.rule.times ?? (lr.rule.nth !== undefined ? 1 : Infinity);
  return seen >= start && lr.fired < times;
}

function pathMatches(p: string | RegExp, path: string): boolean {
  if (p instanceof RegExp) {
    p.lastIndex = 0;
    return p.test(path);
  }
  if (p.endsWith('*')) return path.startsWith(p.slice(0, -1));
  return p === path;
}

export const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'RESOURCE_CONFLICT',
  429: 'REQUEST_LIMIT_EXCEEDED',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'TEMPORARILY_UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
