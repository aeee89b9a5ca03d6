import fs from 'node:fs';
import zlib from 'node:zlib';
import { GlyphError } from '../../../common/errors';
import { findResource } from '../../resources';

/**
 * The replay set shipped in resources/replay/base-tiles.bin.gz (scripts/build-replay-set.ts): canonical
 * 28x28 tiles from the bundled model's training data (replayed while improving, so it keeps what it
 * knew) and its test tiles (to check that it did). Gzipped: `GLRP`, version 1, side, train count and
 * test count (u32 LE), class string length and the classes, a class index per tile, then the pixels.
 */
export interface ReplayTile {
  y: number;
  px: Uint8Array;
}

export interface ReplaySet {
  classes: string;
  train: ReplayTile[];
  test: ReplayTile[];
}

const MAGIC = 'GLRP';
const SIDE = 28;

export function writeReplaySet(file: string, set: ReplaySet): number {
  const tiles = [...set.train, ...set.test];
  const head = Buffer.alloc(4 + 1 + 1 + 8 + 1);
  head.write(MAGIC, 0, 'ascii');
  head[4] = 1;
  head[5] = SIDE;
  head.writeUInt32LE(set.train.length, 6);
  head.writeUInt32LE(set.test.length, 10);
  head[14] = set.classes.length;
  const body = Buffer.concat([head, Buffer.from(set.classes, 'ascii'), Buffer.from(tiles.map((t) => t.y)), ...tiles.map((t) => Buffer.from(t.px))]);
  const gz = zlib.gzipSync(body, { level: 9 });
  fs.writeFileSync(file, gz);
  return gz.length;
}

export function readReplaySet(file: string): ReplaySet {
  let buf: Buffer;
  try {
    buf = zlib.gunzipSync(fs.readFileSync(file), { maxOutputLength: 256 * 1024 * 1024 });
  } catch (e) {
    throw new GlyphError('bad_input', `${file}: not a replay set (${(e as Error).message})`);
  }
  if (buf.length < 15 || buf.toString('ascii', 0, 4) !== MAGIC || buf[4] !== 1 || buf[5] !== SIDE) throw new GlyphError('bad_input', `${file}: not a replay set (bad header)`);
  const nTrain = buf.readUInt32LE(6);
  const nTest = buf.readUInt32LE(10);
  const nc = buf[14]!;
  const classes = buf.toString('ascii', 15, 15 + nc);
  const n = nTrain + nTest;
  const labels = 15 + nc;
  const pixels = labels + n;
  if (buf.length !== pixels + n * SIDE * SIDE) throw new GlyphError('bad_input', `${file}: not a replay set (size does not match its counts)`);
  const tiles = Array.from({ length: n }, (_, i) => ({ y: buf[labels + i]!, px: new Uint8Array(buf.subarray(pixels + i * SIDE * SIDE, pixels + (i + 1) * SIDE * SIDE)) }));
  return { classes, train: tiles.slice(0, nTrain), test: tiles.slice(nTrain) };
}

/** The shipped replay set (GLYPHLAB_REPLAY_SET names another file: tests), or null when it is not installed. */
export function shippedReplaySet(): ReplaySet | null {
  const file = process.env.GLYPHLAB_REPLAY_SET ?? findResource('replay/base-tiles.bin.gz');
  return file ? readReplaySet(file) : null;
}
