/**
 * Builds the reader's default language model, resources/lm/default.json.gz: character n-gram counts
 * (order 5) over 0-9, A-Z and the space, from freely licensed word lists (Debian's wamerican and
 * wbritish, SCOWL: permissive licence) and number and code shapes made here with a fixed seed.
 *
 *   apt-get install wamerican wbritish && npx vite-node scripts/build-language-model.ts
 *
 * Texts are random sequences of those tokens, so the model learns what follows a space too (a word
 * or a number may start a token) without learning any one document.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { countNgrams } from '../main/core/ocr/reader/lm';

const ORDER = 5;
const LISTS = ['/usr/share/dict/american-english', '/usr/share/dict/british-english'];
const out = path.resolve(import.meta.dirname, '../resources/lm/default.json.gz');

let seed = 20261203;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('');

const words = new Set<string>();
for (const file of LISTS) {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: apt-get install wamerican wbritish`);
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const w = line.trim().normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
    if (/^[A-Z]{1,24}$/.test(w)) words.add(w);
  }
}
const wordList = [...words];
/**
 * A word list counts every word once: DALLY as often as DAILY. The most frequent English words (function
 * words, and the words of dates, addresses, orders and notices) weigh more, as they do in text.
 */
const COMMON = `THE OF AND TO IN IS YOU THAT IT HE WAS FOR ON ARE AS WITH HIS THEY AT BE THIS HAVE FROM OR ONE HAD BY
WORD BUT NOT WHAT ALL WERE WE WHEN YOUR CAN SAID THERE USE AN EACH WHICH SHE DO HOW THEIR IF WILL UP OTHER ABOUT OUT
MANY THEN THEM THESE SO SOME HER WOULD MAKE LIKE HIM INTO TIME HAS LOOK TWO MORE WRITE GO SEE NUMBER NO WAY COULD
PEOPLE MY THAN FIRST WATER BEEN CALL WHO ITS NOW FIND LONG DOWN DAY DID GET COME MADE MAY PART OVER NEW SOUND TAKE
ONLY LITTLE WORK KNOW PLACE YEAR LIVE ME BACK GIVE MOST VERY AFTER THING OUR JUST NAME GOOD SENTENCE MAN THINK SAY
GREAT WHERE HELP THROUGH MUCH BEFORE LINE RIGHT TOO MEAN OLD ANY SAME TELL BOY FOLLOW CAME WANT SHOW ALSO AROUND FORM
THREE SMALL SET PUT END DOES ANOTHER WELL LARGE MUST BIG EVEN SUCH BECAUSE TURN HERE WHY ASK WENT MEN READ NEED LAND
DIFFERENT HOME US MOVE TRY KIND HAND PICTURE AGAIN CHANGE OFF PLAY SPELL AIR AWAY ANIMAL HOUSE POINT PAGE LETTER
MOTHER ANSWER FOUND STUDY STILL LEARN SHOULD WORLD HIGH EVERY NEAR ADD FOOD BETWEEN OWN BELOW COUNTRY LAST SCHOOL
FATHER KEEP TREE NEVER START CITY EARTH EYE LIGHT THOUGHT HEAD UNDER STORY SAW LEFT FEW WHILE ALONG MIGHT CLOSE
SOMETHING SEEM NEXT HARD OPEN EXAMPLE BEGIN LIFE ALWAYS THOSE BOTH PAPER TOGETHER GOT GROUP OFTEN RUN IMPORTANT UNTIL
SIDE FEET CAR MILE NIGHT WALK WHITE SEA BEGAN GROW TOOK RIVER FOUR CARRY STATE ONCE BOOK HEAR STOP WITHOUT SECOND
LATER MISS IDEA ENOUGH EAT FACE WATCH FAR REALLY ALMOST LET ABOVE GIRL SOMETIMES MOUNTAIN CUT YOUNG TALK SOON LIST
SONG BEING LEAVE FAMILY DAILY WEEKLY MONTHLY TODAY TOMORROW MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY
JANUARY FEBRUARY MARCH APRIL JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER NORTH SOUTH EAST WEST STREET ROAD
AVENUE FLOOR ROOM SUITE BUILDING OFFICE DATE TOTAL AMOUNT PRICE ORDER INVOICE ITEM QUANTITY UNIT PAID DUE PAYMENT
ACCOUNT CUSTOMER SHIP DELIVER DELIVERY ADDRESS PHONE TICKET GATE SEAT FLIGHT TRAIN PLATFORM EXIT ENTRANCE CLOSED
HOURS FROM TO PER NET TAX FEE REF NO CODE DEPT`.split(/\s+/).filter(Boolean);
const COMMON_WEIGHT = 12;

/** Numbers as documents print them without punctuation: counts, years, amounts, dates, phone numbers, postcodes. */
function number(): string {
  // Mostly uniform digits: which digit follows which is for the classifier to say, not the model.
  const r = rand();
  if (r < 0.25) return String(1 + Math.floor(rand() * 99));
  if (r < 0.3) return String(1900 + Math.floor(rand() * 140));
  return digits(1 + Math.floor(rand() * 8));
}

/** Codes: letters then digits (INV2041, A12, ZIP-like), rarer than words and numbers. */
function code(): string {
  const letters = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => String.fromCharCode(65 + Math.floor(rand() * 26))).join('');
  return rand() < 0.8 ? letters + digits(1 + Math.floor(rand() * 4)) : digits(1 + Math.floor(rand() * 3)) + letters;
}

const counts = new Map<string, number>();
const texts: string[] = [];
// Every word once (in random company), then as many tokens again drawn at random.
const tokens: string[] = [...wordList];
for (let k = 0; k < COMMON_WEIGHT; k++) tokens.push(...COMMON);
for (let i = 0; i < wordList.length * 0.9; i++) {
  const r = rand();
  tokens.push(r < 0.5 ? pick(wordList) : r < 0.62 ? pick(COMMON) : r < 0.93 ? number() : code());
}
for (let i = tokens.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
}
for (let i = 0; i < tokens.length; i += 6) texts.push(tokens.slice(i, i + 6).join(' '));
countNgrams(texts, ORDER, counts);
// Rare long n-grams carry little and cost most of the file.
for (const [g, c] of counts) if (g.length >= 4 && c < 2) counts.delete(g);
const json = JSON.stringify({ order: ORDER, counts: Object.fromEntries([...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) });
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, zlib.gzipSync(json, { level: 9 }));
console.log(`${words.size} words, ${tokens.length} tokens, ${counts.size} n-grams -> ${out} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB)`);
