/** `token` with its last character replaced by a different base62 character (a typo the checksum catches). */
export function withTypo(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
}
