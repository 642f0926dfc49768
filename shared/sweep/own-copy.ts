/**
 * A copy of a string that does not share the document it was cut from. V8 keeps a substring as a
 * view on its parent, so one kept title would keep a whole feed document alive; what the sweep
 * holds beyond one poll (story members for the window, feed names in the states) is copied.
 */
export function ownCopy<T extends string | undefined>(text: T): T {
  // Concatenation makes a new flat string; the slice of it can only keep that short string alive.
  return (text === undefined ? text : `${text} `.slice(0, -1)) as T;
}
