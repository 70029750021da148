// The reader's picture, classified by the dashboard's models. It is checked before it is
// decoded: its first bytes must be those of a JPEG, PNG, WebP or GIF, and its header's size at
// most 20 megapixels. It is drawn on a canvas of at most 256 pixels a side and its pixels sent to
// Python, which resizes them to 64×64×3 with nndl.data.image_to_input and classifies them.

import { h } from "../dom.js";

const MAX_PIXELS = 20_000_000;
export const MAX_FILE_BYTES = 50_000_000;
const SEND_SIDE = 256; // the picture sent to Python is at most this many pixels a side

const ascii = (bytes, start, end) => String.fromCharCode(...bytes.subarray(start, end));
const be16 = (b, i) => (b[i] << 8) | b[i + 1];
const be32 = (b, i) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
const le16 = (b, i) => b[i] | (b[i + 1] << 8);
const le24 = (b, i) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);

/** The kind and size of a picture from its first bytes: { type, width, height } (width and
 *  height 0 when the header is cut short), or null when it is none of the four kinds. */
export function sniffPicture(b) {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 4) === "PNG" && b[4] === 0x0d && b[5] === 0x0a) {
    const ok = b.length >= 24 && ascii(b, 12, 16) === "IHDR";
    return { type: "PNG", width: ok ? be32(b, 16) : 0, height: ok ? be32(b, 20) : 0 };
  }
  if (b.length >= 6 && (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a")) {
    return { type: "GIF", width: b.length >= 10 ? le16(b, 6) : 0, height: b.length >= 10 ? le16(b, 8) : 0 };
  }
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") {
    const chunk = b.length >= 16 ? ascii(b, 12, 16) : "";
    let width = 0;
    let height = 0;
    if (chunk === "VP8 " && b.length >= 30) {
      width = le16(b, 26) & 0x3fff;
      height = le16(b, 28) & 0x3fff;
    } else if (chunk === "VP8L" && b.length >= 25) {
      const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
      width = (bits & 0x3fff) + 1;
      height = ((bits >>> 14) & 0x3fff) + 1;
    } else if (chunk === "VP8X" && b.length >= 30) {
      width = le24(b, 24) + 1;
      height = le24(b, 27) + 1;
    }
    return { type: "WebP", width, height };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    // Walk the segments to the frame header (SOF0…SOF15, except DHT, JPG and DAC).
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) break;
      const marker = b[i + 1];
      if (marker === 0xff) { i += 1; continue; } // fill byte
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { type: "JPEG", width: be16(b, i + 7), height: be16(b, i + 5) };
      }
      if (marker === 0xd9 || marker === 0xda) break; // end, or the image data: no frame header
      i += 2 + be16(b, i + 2);
    }
    return { type: "JPEG", width: 0, height: 0 };
  }
  return null;
}

class Refusal extends Error {}

export function base64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Check, decode and scale down a picture file: { name, type, width, height (as sent),
 *  originalWidth, originalHeight, pixels (base64 RGBA), preview (a data: URL) }. */
async function readPicture(file, { crop }) {
  const name = file.name || "the file";
  if (file.size === 0) throw new Refusal(`"${name}" is empty (0 bytes): there is no picture in it.`);
  if (file.size > MAX_FILE_BYTES) {
    throw new Refusal(`"${name}" is ${(file.size / 1e6).toFixed(0)} MB; pictures up to ${MAX_FILE_BYTES / 1e6} MB are accepted.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniffPicture(bytes);
  if (!kind) {
    throw new Refusal(`"${name}" is not a JPEG, PNG, WebP or GIF picture (its content says so, ` +
      "whatever its name), so it was not opened. Choose a photo or a picture file.");
  }
  if (!kind.width || !kind.height) {
    throw new Refusal(`"${name}" starts like a ${kind.type} picture but its size cannot be read: the file may be damaged.`);
  }
  const pixels = kind.width * kind.height;
  if (pixels > MAX_PIXELS) {
    throw new Refusal(`"${name}" is ${kind.width} × ${kind.height} pixels, ${(pixels / 1e6).toFixed(1)} megapixels: ` +
      `too large to decode comfortably here (the limit is ${MAX_PIXELS / 1e6} megapixels). Scale it down first.`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type: `image/${kind.type.toLowerCase()}` }));
  } catch {
    throw new Refusal(`"${name}" looks like a ${kind.type} picture but could not be decoded: the file may be damaged.`);
  }
  // The model sees a square: crop the middle square, or squash the whole picture into one.
  let sx = 0;
  let sy = 0;
  let sw = bitmap.width;
  let sh = bitmap.height;
  if (crop) {
    const side = Math.min(sw, sh);
    sx = Math.floor((sw - side) / 2);
    sy = Math.floor((sh - side) / 2);
    sw = sh = side;
  }
  const scale = Math.min(1, SEND_SIDE / Math.max(sw, sh));
  const width = Math.max(1, Math.round(sw * scale));
  const height = Math.max(1, Math.round(sh * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, sx, sy, sw, sh, 0, 0, width, height);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  return {
    name,
    type: kind.type,
    originalWidth: kind.width,
    originalHeight: kind.height,
    width,
    height,
    pixels: base64(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength)),
    preview: canvas.toDataURL("image/png"),
  };
}

/** The "Your picture" section of a dashboard view: choose or drop a picture, classify it. */
export class PicturePanel {
  constructor(view) {
    this.view = view;
    this.picture = null; // the reader's picture, decoded
    this.classifyJob = 0;
    const id = (name) => view.ids(name);
    this.fileInput = h("input", { id: id("file"), type: "file", accept: "image/jpeg,image/png,image/webp,image/gif", class: "nndl-dash__file" });
    this.fileInput.addEventListener("change", () => {
      const file = this.fileInput.files && this.fileInput.files[0];
      if (file) this.openPicture(file);
    });
    this.crop = h("input", { id: id("crop"), type: "checkbox", checked: true });
    this.crop.addEventListener("change", () => this.lastFile && this.openPicture(this.lastFile));
    this.classifyRun = h("select", { id: id("classify-run") });
    this.classifyRun.addEventListener("change", () => this.classify());
    this.classifyButton = h("button", { type: "button", class: "md-button", onclick: () => this.classify() }, "Classify");
    this.drop = h("div", { class: "nndl-dash__drop" },
      h("label", { for: this.fileInput.id }, "Choose a picture, or drop one here (JPEG, PNG, WebP or GIF)"),
      this.fileInput);
    for (const type of ["dragenter", "dragover"]) {
      this.drop.addEventListener(type, (event) => {
        event.preventDefault();
        this.drop.dataset.over = "";
      });
    }
    this.drop.addEventListener("dragleave", () => delete this.drop.dataset.over);
    this.drop.addEventListener("drop", (event) => {
      event.preventDefault();
      delete this.drop.dataset.over;
      const file = event.dataTransfer && event.dataTransfer.files[0];
      if (file) this.openPicture(file);
    });
    this.pictureMessage = h("p", { class: "nndl-dash__message", hidden: true, role: "status", "aria-live": "polite" });
    this.original = h("figure", { class: "nndl-dash__shot", hidden: true });
    this.seen = h("figure", { class: "nndl-dash__shot", hidden: true });
    this.verdict = h("p", { class: "nndl-dash__verdict", role: "status", "aria-live": "polite" });
    this.section = h("section", { class: "nndl-dash__picture", "aria-labelledby": id("picture-title") },
      h("h3", { id: id("picture-title"), class: "nndl-dash__title" }, "Your picture"),
      this.drop,
      h("div", { class: "nndl-dash__fields" },
        h("div", { class: "nndl-dash__field nndl-dash__field--check" }, this.crop,
          h("label", { for: this.crop.id }, "Crop the middle square (otherwise the picture is squashed to a square)")),
        h("div", { class: "nndl-dash__field" }, h("label", { for: this.classifyRun.id }, "Classify with"), this.classifyRun),
        h("div", { class: "nndl-dash__field nndl-dash__field--button" }, this.classifyButton)),
      this.pictureMessage,
      h("div", { class: "nndl-dash__shots" }, this.original, this.seen),
      this.verdict);
  }

  async openPicture(file) {
    this.lastFile = file;
    this.sayPicture("");
    let picture;
    try {
      picture = await readPicture(file, { crop: this.crop.checked });
    } catch (error) {
      const text = error instanceof Refusal ? error.message : `"${file.name}" could not be read (${error.message}).`;
      this.sayPicture(`${text} Nothing was changed.`, "error");
      return;
    }
    this.picture = picture;
    this.original.replaceChildren(
      h("img", { src: picture.preview, alt: `Your picture, ${picture.name}` }),
      h("figcaption", {}, `${picture.name}: ${picture.type}, ${picture.originalWidth} × ${picture.originalHeight} pixels`));
    this.original.hidden = false;
    this.seen.hidden = true;
    this.verdict.textContent = "";
    this.classify();
  }

  sayPicture(text, kind = "info") {
    this.pictureMessage.textContent = text;
    this.pictureMessage.dataset.kind = kind;
    this.pictureMessage.hidden = !text;
  }

  async classify() {
    const controller = this.view.controller;
    if (!controller) return;
    if (!this.picture) {
      this.sayPicture("Choose a picture first (or drop one on the box above).", "error");
      return;
    }
    if (!controller.runs.some((run) => run.iteration > 0)) {
      this.sayPicture("No model has been trained yet: train one above, then press Classify.", "error");
      return;
    }
    const job = ++this.classifyJob;
    this.sayPicture("Classifying…");
    let answer;
    try {
      answer = await controller.classify(this.picture, Number(this.classifyRun.value) || null);
    } catch (failure) {
      if (job === this.classifyJob) this.sayPicture(`The picture could not be classified: ${failure.message}.`, "error");
      return;
    }
    if (job !== this.classifyJob) return;
    if (answer.error) {
      this.sayPicture(answer.error, "error");
      return;
    }
    this.sayPicture("");
    this.seen.replaceChildren(
      h("img", { src: `data:image/png;base64,${answer.input_png}`, width: "128", height: "128",
        alt: "Your picture as the model sees it: 64 × 64 pixels" }),
      h("figcaption", {}, "What the model sees: 64 × 64 × 3"));
    this.seen.hidden = false;
    const probability = answer.probability === null ? "–" : answer.probability.toFixed(3);
    const training = answer.iteration < (controller.find(answer.run)?.num_iterations ?? 0) &&
      controller.find(answer.run)?.status === "training" ? `, still training at iteration ${answer.iteration}` : "";
    this.verdict.replaceChildren(
      h("strong", { class: "nndl-dash__label" }, answer.class_name),
      ` — ŷ = ${probability}, the probability of "cat" according to run ${answer.run} (${answer.description}${training}).`);
    this.verdict.dataset.label = answer.class_name;
  }
}
