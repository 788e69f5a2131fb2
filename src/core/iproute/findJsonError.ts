import { skipJsonWs, type JsonSyntaxError } from './jsonScan';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Where `s.slice(start, end)` stops being JSON, for a message with a column (V8's own
 * JSON.parse messages do not always give a position). Iterative, so deep nesting cannot
 * overflow the stack. Returns undefined when the text is valid JSON.
 */
export function findJsonError(s: string, start: number, end: number): JsonSyntaxError | undefined {
  const stack: number[] = []; // 0 = object, 1 = array
  type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';
  let expect: Expect = 'value';
  let i = start;
  const after = (): Expect => (stack.length === 0 ? 'end' : 'commaOrClose');
  for (;;) {
    i = skipJsonWs(s, i, end);
    if (i >= end) return expect === 'end' ? undefined : { offset: end, message: 'unexpected end of JSON (truncated dump?)' };
    const c = s[i]!;
    switch (expect) {
      case 'value':
      case 'valueOrClose': {
        if (expect === 'valueOrClose' && c === ']') { stack.pop(); i++; expect = after(); break; }
        if (c === '{') { stack.push(0); i++; expect = 'keyOrClose'; break; }
        if (c === '[') { stack.push(1); i++; expect = 'valueOrClose'; break; }
        if (c === '"') {
          const e = strictString(s, i, end);
          if (typeof e !== 'number') return e;
          i = e;
          expect = after();
          break;
        }
        NUMBER.lastIndex = i;
        LITERAL.lastIndex = i;
        const m = NUMBER.exec(s) ?? LITERAL.exec(s);
        if (!m || m.index !== i || i + m[0].length > end) return { offset: i, message: `unexpected '${c}' where a value was expected` };
        i += m[0].length;
        expect = after();
        break;
      }
      case 'key':
      case 'keyOrClose': {
        if (expect === 'keyOrClose' && c === '}') { stack.pop(); i++; expect = after(); break; }
        if (c !== '"') return { offset: i, message: `expected a property name in double quotes, found '${c}'` };
        const e = strictString(s, i, end);
        if (typeof e !== 'number') return e;
        i = e;
        expect = 'colon';
        break;
      }
      case 'colon':
        if (c !== ':') return { offset: i, message: `expected ':' after a property name, found '${c}'` };
        i++;
        expect = 'value';
        break;
      case 'commaOrClose': {
        const inObject = stack[stack.length - 1] === 0;
        if (c === ',') { i++; expect = inObject ? 'key' : 'value'; break; }
        if ((inObject && c === '}') || (!inObject && c === ']')) { stack.pop(); i++; expect = after(); break; }
        return { offset: i, message: `expected ',' or '${inObject ? '}' : ']'}', found '${c}'` };
      }
      case 'end':
        return { offset: i, message: `unexpected '${c}' after the end of the JSON value` };
    }
  }
}

function strictString(s: string, i: number, end: number): number | JsonSyntaxError {
  for (let j = i + 1; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c < 32) return { offset: j, message: 'control character inside a string' };
    if (c === 92) {
      const e = s[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) return { offset: j, message: 'bad \\u escape in a string' };
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
      else return { offset: j, message: 'bad escape in a string' };
    }
  }
  return { offset: i, message: 'unterminated string' };
}
