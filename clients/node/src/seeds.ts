// Reads a local ImageFolder (`<label>/<file>`) into a SeedSet of encoded images, ordered like the other clients.
import * as fs from "fs";
import * as path from "path";

const SUFFIXES = new Set([".png", ".jpg", ".jpeg", ".ppm", ".pgm"]);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface SeedImage { data: Buffer; label: number; name: string }

export function loadSeedFolder(dir: string): { images: SeedImage[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`seed folder ${dir} is not a directory`);
  const labels = fs.readdirSync(dir)
    .filter((n) => /^[0-9]+$/.test(n) && fs.statSync(path.join(dir, n)).isDirectory())
    .sort((a, b) => Number(a) - Number(b));
  const images: SeedImage[] = [];
  for (const label of labels) {
    for (const file of fs.readdirSync(path.join(dir, label)).sort(byName)) {
      const full = path.join(dir, label, file);
      if (SUFFIXES.has(path.extname(file).toLowerCase()) && fs.statSync(full).isFile()) {
        images.push({ data: fs.readFileSync(full), label: Number(label), name: `${label}/${file}` });
      }
    }
  }
  if (!images.length) throw new Error(`seed folder ${dir} holds no <label>/<image> files`);
  return { images };
}
