import type { BackendInfo, BackendName } from '../../common/contract';

export type BackendPreference = 'auto' | BackendName;

interface Probe {
  name: BackendName;
  /** Resolves when the backend can be used here; throws with the reason otherwise. */
  load(): Promise<void>;
}

const probes: Probe[] = [
  {
    name: 'node',
    async load() {
      // Native TensorFlow: an optional dependency whose install downloads libtensorflow.
      await import('@tensorflow/tfjs-node' as string);
    },
  },
  {
    name: 'wasm',
    async load() {
      await import('@tensorflow/tfjs-backend-wasm');
    },
  },
  { name: 'cpu', async load() {} },
];

function shortReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const firstLine = msg.split('\n')[0] ?? msg;
  if (/Cannot find (module|package)/.test(firstLine)) return 'not installed';
  return firstLine.slice(0, 160);
}

async function inferenceRuntime(): Promise<BackendInfo['inference']> {
  try {
    await import('onnxruntime-node');
    return 'onnxruntime';
  } catch {
    return 'tfjs';
  }
}

/**
 * Which tfjs backend training will use: the best one that loads (native TensorFlow, then wasm, then
 * the pure-JS cpu backend), or the one asked for. The reason says why better ones were passed over.
 */
export async function detectBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  const skipped: string[] = [];
  const candidates = preference === 'auto' ? probes : probes.filter((p) => p.name === preference);
  for (const probe of candidates) {
    try {
      await probe.load();
      const reason =
        preference !== 'auto'
          ? `asked for ${probe.name}`
          : skipped.length
            ? `best available (${skipped.join('; ')})`
            : 'best available';
      return { name: probe.name, reason, inference: await inferenceRuntime() };
    } catch (e) {
      skipped.push(`${probe.name}: ${shortReason(e)}`);
    }
  }
  throw new Error(`Backend '${preference}' cannot load here: ${skipped.join('; ')}`);
}
