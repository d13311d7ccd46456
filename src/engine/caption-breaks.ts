/**
 * Where a caption may end: never across a sentence end, and not on a word that leans on the next
 * one (an article, a preposition, a conjunction, a possessive) when a better break exists. The
 * words are listed per language; a story of another language, or of an unknown one, is checked
 * against all of them (a false "leaning" word only moves a break by one word).
 */

/** A sentence ends here: . ! ? … and the full stops of CJK, Arabic, Urdu, Devanagari, Ethiopic, Armenian, Burmese. */
const SENTENCE_END = /[.!?…。！？｡؟۔।॥።፧։။‼⁇⁈⁉]["'”’»)\]」』]*$/u;
/** A clause ends here: a good place for a break, not a required one. */
const CLAUSE_END = /[,;:，、；：—–]["'”’»)\]」』]*$/u;
/** A full stop that does not end a sentence: "Mr. Smith", "Sra. García", "J. R. R. Tolkien". */
const ABBREVIATION = /^(?:mr|mrs|ms|dr|prof|st|sr|sra|srta|jr|mt|mme|mlle|hr|fr|nr|vs|\p{Lu})\.$/iu;

const LEANING_WORDS: Record<string, string> = {
  en: 'a an the of to in on at by for from with into onto upon about over under through between across and or but nor as than if because when while my your his her its our their this these those every',
  es: 'el la los las un una unos unas de del al a en con por para sin sobre entre hacia desde y e o u ni que pero mi mis tu tus su sus nuestro nuestra',
  fr: "le la les l' un une des du de d' à au aux en dans sur sous avec pour par sans chez vers et ou mais ni que qu' ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs",
  de: 'der die das den dem des ein eine einen einem einer eines und oder aber in im ins an am auf aus bei beim mit nach von vom zu zum zur für über unter vor hinter neben durch gegen ohne um dass mein meine sein seine ihr ihre unser unsere',
  it: 'il lo la i gli le un uno una di del dello della dei degli delle a al allo alla ai agli alle da dal dalla dai in nel nello nella nei con su sul sulla per tra fra e ed o ma che mio mia suo sua',
  pt: 'o a os as um uma uns umas de do da dos das em no na nos nas por pelo pela pelos pelas para com sem sobre e ou mas que meu minha seu sua ao aos à às',
  nl: 'de het een van in op aan met voor naar bij uit door over onder tegen en of maar dat mijn zijn haar ons onze',
  pl: 'w we na z ze do od o po przy za dla przez bez pod nad przed i a ale lub oraz że czy',
  tr: 'bir ve ile ama veya ya fakat ancak çünkü bu şu',
  ru: 'в во на с со к ко по за из от до у о об при без для под над перед через и а но или что чтобы',
  uk: 'в у на з із до від по за при без для під над через і й та а але або що',
  vi: 'của và các những một trong với cho từ ở tại để mà nhưng hoặc về',
  id: 'dan di ke dari yang untuk dengan pada dalam oleh sebuah seorang atau tetapi tapi karena',
  ar: 'في من على إلى الى عن مع أو ثم لكن أن إن التي الذي هذا هذه',
  he: 'של את על עם אל מן כי אבל או גם',
  hi: 'और या लेकिन कि तथा एक',
};

const byLanguage = new Map(Object.entries(LEANING_WORDS).map(([lang, words]) => [lang, new Set(words.split(' '))]));
const anyLanguage = new Set([...byLanguage.values()].flatMap((set) => [...set]));

/** Quotes and brackets around a word are not part of it. */
const strip = (word: string) => word.replace(/^[\s"'“‘«(¿¡[]+|["'”’»)\]\s]+$/gu, '').toLocaleLowerCase();

/** The sentence ends after this word (an abbreviation's full stop does not end one). */
export function endsSentence(word: string): boolean {
  return SENTENCE_END.test(word) && !ABBREVIATION.test(strip(word));
}

export function endsClause(word: string): boolean {
  return CLAUSE_END.test(word);
}

/** A word that belongs with the next one: a caption should not end on it when it can be avoided. */
export function leansOnNext(word: string, language?: string): boolean {
  if (SENTENCE_END.test(word) || CLAUSE_END.test(word)) return ABBREVIATION.test(strip(word));
  const bare = strip(word);
  const words = (language && byLanguage.get(language.toLowerCase().split('-')[0]!)) || anyLanguage;
  return words.has(bare);
}

/**
 * Japanese and Chinese particles that close the word before them (は, を, の, 的, 了): a caption
 * in a script without spaces should not start with one.
 */
const CLOSING_PARTICLE = /^(?:は|が|を|に|で|と|の|も|へ|や|か|ね|よ|な|から|まで|より|だけ|的|了|吗|呢|吧|着|过|地|得)$/u;
export function closesPrevious(segment: string): boolean {
  return CLOSING_PARTICLE.test(segment);
}
