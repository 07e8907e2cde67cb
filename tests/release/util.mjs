// Helpers for the release checks (tests/release/*.test.mjs).
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');
export const EXPECTED = join(ROOT, 'tests', 'release', 'expected');
export const BROWSERS = ['chrome', 'firefox'];

export const readText = (...p) => readFileSync(join(ROOT, ...p), 'utf8');
export const readJson = (...p) => JSON.parse(readText(...p));
export const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
export const version = () => readJson('manifest.json').version;
export const zipName = (b) => `session-guard-${version()}-${b}.zip`;
export const isGitCheckout = () => existsSync(join(ROOT, '.git'));

/** The built packages must exist: the release checks run after `./build.sh`. */
export function requireBuild() {
  for (const b of BROWSERS) {
    const z = join(DIST, zipName(b));
    if (!existsSync(z)) throw new Error(`${z} missing: run ./build.sh first`);
  }
}

/** Zip entries as pack.py wrote them: [{name, date_time, mode, size, compress_type}]. */
export function zipEntries(file) {
  const py = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'print(json.dumps([{"name": i.filename, "date_time": list(i.date_time), "mode": i.external_attr >> 16, "size": i.file_size, "compress_type": i.compress_type} for i in z.infolist()]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', py, file]).toString());
}

/** Decode an 8-bit RGBA or RGB, non-interlaced PNG → {width, height, px(x, y) → [r, g, b, a]}. */
export function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0, height = 0, depth = 0, type = 0, interlace = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const kind = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      depth = data[8]; type = data[9]; interlace = data[12];
    } else if (kind === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  if (depth !== 8 || (type !== 6 && type !== 2) || interlace !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour type ${type}, interlace ${interlace})`);
  const n = type === 6 ? 4 : 3; // bytes per pixel
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * n;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= n ? out[y * stride + i - n] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= n && y > 0 ? out[(y - 1) * stride + i - n] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      out[y * stride + i] = v & 0xff;
    }
  }
  return { width, height, px: (x, y) => (n === 4 ? [...out.subarray(y * stride + x * 4, y * stride + x * 4 + 4)] : [...out.subarray(y * stride + x * 3, y * stride + x * 3 + 3), 255]) };
}

