/**
 * The e2e harness's stand-in for the Electron preload: an init script that defines the same `window.dx`
 * object over HTTP to the real handlers running in Node. Only the transport differs from the app.
 */
export const bridgeScript = `(() => {
  const invoke = (name, input) =>
    fetch('/__dx/invoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, input }) })
      .then((r) => r.json());
  const on = (event, listener) => {
    const source = new EventSource('/__dx/events');
    source.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.event === event) listener(msg.payload);
    };
    return () => source.close();
  };
  Object.defineProperty(window, 'dx', { value: Object.freeze({ invoke, on }), writable: false, configurable: false });
})();`;
