/** A class folder name safe on every file system: the character itself, or `U+XXXX` for anything unusual. */
export function classFolderName(label: string): string {
  return /^[\p{L}\p{N}_\-+=@#$%&!~]$/u.test(label) ? label : `U+${label.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The label a class folder stands for (inverse of classFolderName). */
export function labelFromFolderName(name: string): string {
  const m = /^U\+([0-9A-F]{4,6})$/i.exec(name);
  return m ? String.fromCodePoint(parseInt(m[1]!, 16)) : name;
}
