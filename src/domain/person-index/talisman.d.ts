// talisman ships no types; these are the two functions the matcher uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  const jaroWinkler: (a: string, b: string) => number
  export default jaroWinkler
}
