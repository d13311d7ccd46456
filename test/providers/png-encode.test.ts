import { describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { encodePng } from '../../src/providers/images/png-encode.js';
import { seededRandom } from '../../src/core/seeded-random.js';

describe('the cards PNG encoder', () => {
  it('is lossless: a grained, gradient and flat card decodes to exactly its pixels', async () => {
    const [w, h] = [321, 187];
    const canvas = createCanvas(w, h);
    const g = canvas.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, h);
    sky.addColorStop(0, '#123456');
    sky.addColorStop(1, '#fedcba');
    g.fillStyle = sky;
    g.fillRect(0, 0, w, h);
    const image = g.getImageData(0, 0, w, h);
    const random = seededRandom(7);
    for (let i = 0; i < image.data.length / 2; i += 4) image.data[i] = Math.floor(random() * 256);
    g.putImageData(image, 0, 0);
    g.fillStyle = '#0a0';
    g.fillRect(200, 100, 80, 60);
    const pixels = g.getImageData(0, 0, w, h).data;

    const png = encodePng(pixels, w, h);
    const decoded = createCanvas(w, h);
    decoded.getContext('2d').drawImage(await loadImage(png), 0, 0);
    expect(Buffer.from(decoded.getContext('2d').getImageData(0, 0, w, h).data).equals(Buffer.from(pixels))).toBe(true);
  });
});
