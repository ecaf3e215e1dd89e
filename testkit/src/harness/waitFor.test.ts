import { waitFor } from './waitFor';

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let calls = 0;
    await expect(waitFor(() => ++calls >= 3 && calls, { what: 'three calls', intervalMs: 1 })).resolves.toBe(3);
  });

  it('names what it waited for and the last error when it times out', async () => {
    const failing = (): never => {
      throw new Error('connection refused');
    };
    await expect(waitFor(failing, { what: 'Prometheus ready', timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(
      /Timed out after 20 ms waiting for Prometheus ready; last error: connection refused/,
    );
  });
});
