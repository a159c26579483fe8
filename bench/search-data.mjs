// Industrial items for the search benchmark, deterministic by seed.
//   node bench/search-data.mjs csv ROWS SEED > items.csv   an import file: sku, unit, names in en and hi,
//                                                          English description, category, reorder fields
//   node bench/search-data.mjs queries SEARCH.lua SUGGEST.lua
//                                                          200 search paths (words, SKU prefixes, typos,
//                                                          Hindi) and 100 type-ahead paths, as wrk scripts
import { writeFileSync } from "node:fs";

// [SKU prefix, English, Hindi, category code]
const NOUNS = [
  ["BRG", "bearing", "बेयरिंग", "BRG"], ["VLV", "valve", "वाल्व", "MECH"], ["PMP", "pump", "पंप", "MECH"],
  ["MTR", "motor", "मोटर", "ELEC"], ["GBX", "gearbox", "गियरबॉक्स", "PT"], ["SEN", "sensor", "सेंसर", "SENS"],
  ["CPL", "coupling", "कपलिंग", "PT"], ["SEL", "seal", "सील", "MECH"], ["GSK", "gasket", "गैस्केट", "MECH"],
  ["BLT", "bolt", "बोल्ट", "MECH"], ["NUT", "nut", "नट", "MECH"], ["WSH", "washer", "वॉशर", "MECH"],
  ["BEL", "belt", "बेल्ट", "PT"], ["CHN", "chain", "चेन", "PT"], ["SPR", "sprocket", "स्प्रोकेट", "PT"],
  ["FLT", "filter", "फ़िल्टर", "CONS"], ["HSE", "hose", "होज़", "MECH"], ["CBL", "cable", "केबल", "ELEC"],
  ["RLY", "relay", "रिले", "ELEC"], ["CNT", "contactor", "कॉन्टैक्टर", "ELEC"], ["SWT", "switch", "स्विच", "ELEC"],
  ["FUS", "fuse", "फ्यूज़", "ELEC"], ["BSH", "bushing", "बुशिंग", "MECH"], ["SHF", "shaft", "शाफ़्ट", "PT"],
  ["IMP", "impeller", "इम्पेलर", "MECH"], ["CYL", "cylinder", "सिलेंडर", "MECH"], ["NZL", "nozzle", "नोज़ल", "MECH"],
  ["SPG", "spring", "स्प्रिंग", "MECH"], ["GRS", "grease", "ग्रीस", "CONS"], ["ELD", "electrode", "इलेक्ट्रोड", "CONS"],
];
const QUALIFIERS = [
  ["hydraulic", "हाइड्रोलिक"], ["pneumatic", "न्यूमैटिक"], ["stainless steel", "स्टेनलेस स्टील"],
  ["carbon steel", "कार्बन स्टील"], ["high temperature", "उच्च तापमान"], ["heavy duty", "हेवी ड्यूटी"],
  ["industrial", "औद्योगिक"], ["flanged", "फ्लैंज्ड"], ["threaded", "थ्रेडेड"], ["sealed", "सील्ड"],
  ["deep groove", "डीप ग्रूव"], ["tapered roller", "टेपर्ड रोलर"], ["centrifugal", "सेंट्रीफ्यूगल"],
  ["three phase", "थ्री फेज़"], ["inductive", "इंडक्टिव"], ["brass", "पीतल"], ["rubber", "रबर"],
  ["nylon", "नायलॉन"], ["cast iron", "कच्चा लोहा"], ["galvanised", "जस्तीकृत"],
];
const SIZES = ["M8", "M10", "M12", "M16", "M20", "25 mm", "40 mm", "50 mm", "80 mm", "1 inch", "2 inch", "6205", "6310",
  "DN25", "DN50", "DN100", "10 A", "32 A", "63 A", "5 kW", "15 kW", "PN16", "IP67", "24 V"];
const USES = ["conveyors", "boilers", "compressors", "machine tools", "cooling towers", "mixers", "cranes",
  "packaging lines", "kilns", "presses", "chillers", "water treatment"];
const UNITS = ["pcs", "pcs", "pcs", "set", "m", "kg", "l"];

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
const q = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function csv(rows, seed) {
  const r = rng(seed);
  const out = [];
  out.push("sku,unit,name_en,name_hi,description_en,category,reorder_level,reorder_quantity,serialised\n");
  let chunk = [];
  for (let i = 1; i <= rows; i++) {
    const [prefix, en, hi, cat] = pick(r, NOUNS);
    const [qen, qhi] = pick(r, QUALIFIERS);
    const size = pick(r, SIZES);
    const use = pick(r, USES);
    const level = Math.floor(r() * 50);
    chunk.push([`${prefix}-${i}`, pick(r, UNITS), q(`${qen} ${en} ${size}`), q(`${qhi} ${hi} ${size}`),
      q(`${qen} ${en} for ${use}`), cat, level, level * 4, prefix === "MTR" || prefix === "GBX" ? "yes" : "no"].join(",") + "\n");
    if (chunk.length === 10000) { out.push(chunk.join("")); chunk = []; }
    if (out.length > 50) { process.stdout.write(out.join("")); out.length = 0; }
  }
  out.push(chunk.join(""));
  process.stdout.write(out.join(""));
}

function typo(word, r) {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(r() * (word.length - 2));
  return r() < 0.5 ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

function queries(searchFile, suggestFile) {
  const r = rng(42);
  const enc = encodeURIComponent;
  const paths = [];
  for (let k = 0; k < 200; k++) {
    const [prefix, en, hi] = pick(r, NOUNS);
    const [qen, qhi] = pick(r, QUALIFIERS);
    let text;
    switch (k % 8) {
      case 0: text = en; break;                                     // one word
      case 1: text = `${qen} ${en}`; break;                         // two or three words
      case 2: text = `${prefix}-${1 + Math.floor(r() * 999)}`; break; // SKU prefix
      case 3: text = typo(en, r); break;                            // a typo
      case 4: text = hi; break;                                     // Hindi
      case 5: text = `${qhi} ${hi}`; break;                         // Hindi words
      case 6: text = `${en} ${pick(r, SIZES)}`; break;              // word and size
      default: text = `${typo(qen.split(" ")[0], r)} ${en}`; break; // typo in a phrase
    }
    paths.push(`/api/v1/inventory?q=${enc(text)}`);
  }
  const typed = [];
  for (let k = 0; k < 100; k++) {
    const [prefix, en, hi] = pick(r, NOUNS);
    const word = k % 3 === 0 ? `${prefix}-${1 + Math.floor(r() * 99)}` : k % 3 === 1 ? en : hi;
    const len = Math.min(word.length, 2 + Math.floor(r() * 4));
    typed.push(`/api/v1/inventory/suggest?q=${enc(word.slice(0, len))}`);
  }
  const lua = (list) => `local paths = {\n${list.map((p) => `  "${p}",`).join("\n")}\n}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %.3f %d %d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
`;
  writeFileSync(searchFile, lua(paths));
  writeFileSync(suggestFile, lua(typed));
}

const [mode, a, b] = process.argv.slice(2);
if (mode === "csv") csv(Number(a), Number(b || 1));
else if (mode === "queries") queries(a, b);
else { console.error("usage: search-data.mjs csv ROWS SEED | queries SEARCH.lua SUGGEST.lua"); process.exit(2); }
