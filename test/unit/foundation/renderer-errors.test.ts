import { describe, expect, it } from 'vitest';
import { cancelledError, describeError, errorMessage, errorType, isCancelled } from '../../../renderer/src/lib/errors';

const rpcError = (type: string, message: string) => Object.assign(new Error(message), { type });

describe('renderer error text', () => {
  it('reads the message of an Error and the text of anything else', () => {
    expect(errorMessage(new Error('disk full'))).toBe('disk full');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
  });

  it("gives the core's error type only when the error carries one", () => {
    expect(errorType(rpcError('not_found', 'No model 3'))).toBe('not_found');
    expect(errorType(new Error('x'))).toBeNull();
    expect(errorType({ type: 7 })).toBeNull();
    expect(errorType(null)).toBeNull();
  });

  it('says what failed and why, with a hint when the core cannot do it', () => {
    expect(describeError('Cannot list the models', rpcError('internal', 'boom'))).toBe('Cannot list the models: boom');
    expect(describeError('Cannot train', rpcError('unsupported', 'no backend'))).toBe('Cannot train: the core cannot do this (no backend)');
  });

  it('knows a cancellation from the bridge, from an AbortSignal and from cancelledError', () => {
    expect(isCancelled(rpcError('cancelled', 'Cancelled'))).toBe(true);
    expect(isCancelled(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(true);
    expect(isCancelled(cancelledError())).toBe(true);
    expect(isCancelled(rpcError('bad_input', 'no'))).toBe(false);
    expect(isCancelled('Cancelled')).toBe(false);
  });
});
