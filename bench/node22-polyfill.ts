// PostGraphile 5 declares Node >= 22 and calls Promise.withResolvers, which
// Node 20 (this project's runtime) lacks; without it every query fails with
// "Cannot read properties of undefined (reading 'items')". This is the only
// Node 22 API it needs, so the benchmark supplies it instead of a second Node.
interface WithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const P = Promise as unknown as { withResolvers?: <T>() => WithResolvers<T> };
P.withResolvers ??= <T>() => {
  let resolve!: WithResolvers<T>['resolve'];
  let reject!: WithResolvers<T>['reject'];
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
