// @ts-check
/**
 * A stand-in for the page's `Worker` (calculator-client.js creates one): it records what is
 * posted and lets a test answer as the calculators worker would, or fail like a dead one.
 */

export class FakeWorker extends EventTarget {
  /** @type {FakeWorker[]} every worker created, in order */
  static created = [];

  /** @param {string | URL} url @param {WorkerOptions} [options] */
  constructor(url, options) {
    super();
    this.url = String(url);
    this.options = options;
    /** @type {any[]} */
    this.posted = [];
    this.terminated = false;
    FakeWorker.created.push(this);
  }

  /** @param {any} message */
  postMessage(message) {
    this.posted.push(structuredClone(message));
  }

  terminate() {
    this.terminated = true;
  }

  /** The worker answers (a structured clone, as postMessage delivers it). @param {any} data */
  reply(data) {
    this.dispatchEvent(new MessageEvent("message", { data: structuredClone(data) }));
  }

  /** An uncaught error in the worker, or its script failing to load. @param {string} message */
  crash(message) {
    this.dispatchEvent(errorEvent(message));
  }
}

/** A shared worker's port, as the page sees it: posts recorded, replies dispatched. */
export class FakePort extends EventTarget {
  constructor() {
    super();
    /** @type {any[]} */
    this.posted = [];
    this.started = false;
    this.closed = false;
  }

  /** @param {any} message */
  postMessage(message) {
    this.posted.push(structuredClone(message));
  }

  start() {
    this.started = true;
  }

  close() {
    this.closed = true;
  }

  /** @param {any} data */
  reply(data) {
    this.dispatchEvent(new MessageEvent("message", { data: structuredClone(data) }));
  }
}

/**
 * A stand-in for `SharedWorker`. Like a browser's constructor it converts its options
 * before it parses the URL: `readsExtendedLifetime` says whether this "browser" knows the
 * extendedLifetime option (Chromium 148 and later read it; others ignore it).
 */
export class FakeSharedWorker extends EventTarget {
  /** @type {FakeSharedWorker[]} */
  static created = [];
  static readsExtendedLifetime = true;

  /** @param {string | URL} url @param {any} [options] */
  constructor(url, options) {
    super();
    const seen = { type: options?.type, name: options?.name };
    if (FakeSharedWorker.readsExtendedLifetime) Object.assign(seen, { extendedLifetime: options?.extendedLifetime });
    try {
      new URL(String(url));
    } catch {
      throw new SyntaxError(`Failed to construct 'SharedWorker': Invalid URL ${url}`);
    }
    this.url = String(url);
    this.options = seen;
    this.port = new FakePort();
    FakeSharedWorker.created.push(this);
  }
}

/** Install FakeSharedWorker as the global SharedWorker (remove it with `delete`). */
export function installFakeSharedWorker() {
  FakeSharedWorker.created = [];
  FakeSharedWorker.readsExtendedLifetime = true;
  Object.assign(globalThis, { SharedWorker: FakeSharedWorker });
  return FakeSharedWorker;
}

/** An `error` event as a Worker fires it (node has no ErrorEvent). @param {string} message */
export function errorEvent(message) {
  return Object.assign(new Event("error", { cancelable: true }), { message });
}

/** Install FakeWorker as the global Worker; returns it with its list emptied. */
export function installFakeWorker() {
  FakeWorker.created = [];
  Object.assign(globalThis, { Worker: FakeWorker });
  return FakeWorker;
}

/** Let queued promise callbacks run (several turns: replies pass through a few awaits). */
export async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
