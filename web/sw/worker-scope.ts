// The few service-worker types the DOM library lacks: tsconfig cannot add the
// "WebWorker" library beside "DOM" (they declare the same globals differently).

export interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

export interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}

export type ServiceWorkerScope = {
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
};

// Inside /service-worker.js the global object is the worker's scope; the DOM typings call it Window.
export const scope = globalThis as unknown as ServiceWorkerScope;
