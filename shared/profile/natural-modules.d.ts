// Types for the few `natural` submodules the profile imports directly: the package root is
// too heavy for the Lambda bundle, and its own typings only describe the root.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}

declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}

declare module 'natural/lib/natural/ngrams/ngrams.js' {
  export function ngrams(sequence: string[], n: number): string[][];
}

declare module 'natural/lib/natural/stemmers/porter_stemmer_ru.js' {
  const RussianStemmer: { stem(token: string): string };
  export default RussianStemmer;
}

declare module 'natural/lib/natural/util/stopwords_ru.js' {
  export const words: string[];
}

declare module 'natural/lib/natural/util/stopwords_zh.js' {
  export const words: string[];
}
