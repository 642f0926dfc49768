// What JSON.stringify leaves raw that a terminal may act on or hide text with: DEL, C1 controls
// (U+009B is a CSI), line and paragraph separators, format characters such as U+202E.
const RAW_IN_JSON = /[\u007F-\u009F\u2028\u2029]|\p{Cf}/gu;

/** JSON for the terminal or a pipe: the same value, with what a terminal could act on escaped. */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value).replace(RAW_IN_JSON, (found) =>
    [...found]
      .flatMap((char) =>
        char.length === 2 ? [char.charCodeAt(0), char.charCodeAt(1)] : [char.charCodeAt(0)],
      )
      .map((code) => `\\u${code.toString(16).padStart(4, '0')}`)
      .join(''),
  );
}
