/**
 * Name equivalences, hand-curated (docs/person-matching.md §4.1): short forms and nicknames, and
 * separately spelling-variant groups (Muhammad/Mohammed…). npm has no nickname package and the US
 * lists lack UK forms (Alfie, Evie, Gaz), so this is our own list; extend it from reviewers'
 * decisions. Every entry is folded (lower case ASCII). A name may be in several groups (Harry is
 * Henry, Harold and Harrison).
 */

/** Formal name first, then its short forms and nicknames. */
const NICKNAMES: readonly (readonly string[])[] = [
  // UK supplement
  ['alfred', 'alfie', 'alf', 'fred', 'freddie'],
  ['archibald', 'archie', 'baldie'],
  ['frederick', 'freddie', 'freddy', 'fred', 'fredrick'],
  ['henry', 'harry', 'hal', 'hank'],
  ['harold', 'harry', 'hal'],
  ['harrison', 'harry'],
  ['oliver', 'ollie', 'olly', 'ol'],
  ['olivia', 'ollie', 'liv', 'livvy', 'livia'],
  ['charles', 'charlie', 'chas', 'chaz', 'chuck', 'charly'],
  ['charlotte', 'charlie', 'lottie', 'lotte', 'char'],
  ['evelyn', 'evie', 'eve', 'evey'],
  ['eve', 'evie'],
  ['eva', 'evie'],
  ['amelia', 'millie', 'milly', 'mia', 'amy', 'mel'],
  ['emily', 'millie', 'em', 'emmy', 'milly'],
  ['millicent', 'millie', 'milly'],
  ['margaret', 'maisie', 'maggie', 'meg', 'peggy', 'madge', 'daisy', 'greta', 'marge', 'megan'],
  ['matilda', 'tilly', 'tillie', 'mattie', 'tilda'],
  ['isabel', 'izzy', 'issy', 'bella', 'belle', 'izzie'],
  ['isabella', 'izzy', 'issy', 'bella', 'izzie'],
  ['isobel', 'izzy', 'issy', 'izzie'],
  ['alexandra', 'lexi', 'lexie', 'alex', 'sandra', 'alexa', 'ali', 'sasha'],
  ['alexis', 'lexi', 'lexie', 'alex'],
  ['alexander', 'alex', 'alec', 'xander', 'sandy', 'al', 'sasha', 'lex'],
  ['john', 'jack', 'johnny', 'jon', 'sean', 'shaun', 'shawn', 'sion', 'ian', 'iain', 'evan', 'ivan', 'jan', 'juan', 'johan', 'giovanni'],
  ['jonathan', 'jon', 'jonny', 'johnny', 'nathan'],
  ['gary', 'gaz', 'gazza'],
  ['gareth', 'gaz', 'gaz'],
  ['barry', 'baz'],
  ['sharon', 'shaz', 'shazza'],
  ['terence', 'terry', 'tez', 'tel'],
  ['terry', 'tez'],
  ['kerry', 'kez'],
  ['katarzyna', 'kasia', 'kate', 'kasha', 'katherine', 'catherine'],
  ['malgorzata', 'gosia', 'margaret', 'gosha'],
  ['jakub', 'kuba', 'jacob', 'jake'],
  ['aleksandra', 'ola', 'olka', 'alexandra'],
  ['magdalena', 'magda', 'madeline', 'magdalene'],
  ['jan', 'janek', 'john'],
  ['dafydd', 'david', 'dai', 'dewi'],
  ['sean', 'shaun', 'shawn', 'john', 'sion'],
  ['ciaran', 'kieran', 'keiran', 'kieron'],
  ['siobhan', 'shevaun', 'chevonne', 'shivaun', 'joan'],
  ['niamh', 'neve', 'neave', 'nieve'],
  ['aoife', 'eva', 'eefa'],
  ['oisin', 'osheen', 'ossian'],
  // common English forms
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'robby', 'bert', 'robin'],
  ['william', 'will', 'bill', 'billy', 'willie', 'liam', 'wills'],
  ['richard', 'rich', 'richie', 'rick', 'ricky', 'dick', 'dickie'],
  ['edward', 'ed', 'eddie', 'ted', 'teddy', 'ned', 'eddy'],
  ['james', 'jim', 'jimmy', 'jamie', 'jimbo', 'jay'],
  ['thomas', 'tom', 'tommy', 'thom'],
  ['joseph', 'joe', 'joey', 'jo', 'joss'],
  ['michael', 'mike', 'mikey', 'mick', 'micky', 'mickey', 'mikel', 'michal'],
  ['daniel', 'dan', 'danny', 'dani'],
  ['samuel', 'sam', 'sammy'],
  ['samantha', 'sam', 'sammy', 'sammie'],
  ['benjamin', 'ben', 'benny', 'benji', 'benjy'],
  ['christopher', 'chris', 'kit', 'topher', 'christy'],
  ['christina', 'chris', 'tina', 'christie', 'kirsty'],
  ['christine', 'chris', 'tina', 'chrissie', 'kirsty'],
  ['nicholas', 'nick', 'nicky', 'nico', 'cole'],
  ['nicola', 'nicky', 'nikki', 'nic'],
  ['anthony', 'tony', 'ant', 'antony'],
  ['andrew', 'andy', 'drew', 'andie'],
  ['matthew', 'matt', 'matty', 'mat'],
  ['stephen', 'steve', 'stevie', 'steven', 'stephan'],
  ['peter', 'pete', 'petey'],
  ['david', 'dave', 'davie', 'davy', 'dai'],
  ['joshua', 'josh', 'joss'],
  ['zachary', 'zach', 'zack', 'zak'],
  ['theodore', 'theo', 'ted', 'teddy'],
  ['leonardo', 'leo', 'leon', 'lenny'],
  ['leonard', 'leo', 'len', 'lenny'],
  ['reginald', 'reg', 'reggie'],
  ['percival', 'percy', 'perce'],
  ['bartholomew', 'bart', 'barty'],
  ['cornelius', 'neil', 'connie'],
  ['rosalind', 'ros', 'roz', 'rosie'],
  ['rosemary', 'rosie', 'ro'],
  ['raymond', 'ray'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donny'],
  ['kenneth', 'ken', 'kenny'],
  ['timothy', 'tim', 'timmy'],
  ['patrick', 'pat', 'paddy', 'patsy'],
  ['francis', 'frank', 'frankie', 'fran'],
  ['frances', 'fran', 'frankie', 'fanny'],
  ['gabriel', 'gabe', 'gabby'],
  ['gabriella', 'gabby', 'ella', 'gabi'],
  ['nathaniel', 'nate', 'nat', 'nathan'],
  ['maximilian', 'max', 'maxi'],
  ['maxwell', 'max'],
  ['sebastian', 'seb', 'bastian'],
  ['elizabeth', 'liz', 'lizzie', 'lizzy', 'beth', 'betty', 'bess', 'eliza', 'libby', 'elsie', 'ellie', 'lisa', 'liza', 'betsy'],
  ['eleanor', 'ellie', 'nell', 'nellie', 'elle', 'nora', 'ella'],
  ['helen', 'nell', 'ellie', 'lena'],
  ['catherine', 'kate', 'katie', 'cathy', 'cath', 'kat', 'kitty', 'cate', 'kathryn', 'katherine', 'kathleen'],
  ['katherine', 'kate', 'katie', 'kathy', 'kath', 'kat', 'kitty', 'catherine', 'kathryn'],
  ['kathryn', 'kate', 'katie', 'kathy'],
  ['rebecca', 'becky', 'becca', 'bex'],
  ['jessica', 'jess', 'jessie'],
  ['jennifer', 'jen', 'jenny', 'jenna'],
  ['victoria', 'vicky', 'vikki', 'tori', 'vic'],
  ['susan', 'sue', 'susie', 'suzy'],
  ['suzanne', 'sue', 'suzy'],
  ['deborah', 'debbie', 'deb', 'debs'],
  ['patricia', 'pat', 'patty', 'trish', 'tricia'],
  ['abigail', 'abbie', 'abby', 'gail'],
  ['penelope', 'penny', 'pen'],
  ['florence', 'flo', 'flossie', 'florrie'],
  ['josephine', 'jo', 'josie', 'jojo'],
  ['dorothy', 'dot', 'dottie', 'dolly'],
  ['mary', 'molly', 'polly', 'mae', 'may', 'maria', 'marie', 'mia'],
  ['ann', 'annie', 'anna', 'anne', 'nan', 'nancy', 'hannah'],
  ['hannah', 'annie', 'anna'],
  ['sophia', 'sophie', 'sofia', 'soph'],
  ['georgina', 'georgie', 'gina'],
  ['georgia', 'georgie'],
  ['george', 'georgie'],
  ['gwendolyn', 'gwen'],
  ['jacqueline', 'jackie', 'jacqui'],
  ['veronica', 'ronnie', 'vera'],
  ['lillian', 'lily', 'lil', 'lilly'],
  ['madison', 'maddie', 'maddy'],
  ['madeleine', 'maddie', 'maddy', 'madeline'],
  ['natalie', 'nat', 'tally'],
  ['natasha', 'tasha', 'nat', 'tash'],
  ['anastasia', 'stacy', 'ana', 'nastya'],
  ['dmitri', 'dima', 'dmitry', 'dmitriy'],
  ['vladimir', 'vlad', 'volodya'],
  ['yekaterina', 'katya', 'katerina', 'ekaterina'],
  ['aleksandr', 'sasha', 'alexander', 'alex'],
  ['mikhail', 'misha', 'michael'],
  ['ivan', 'vanya', 'john'],
]

/** Spelling and transliteration variants of one name: not short forms, so their own level. */
const VARIANTS: readonly (readonly string[])[] = [
  ['muhammad', 'mohammed', 'mohammad', 'mohamed', 'muhammed', 'mohamad', 'muhamed', 'mohammod', 'mahammad', 'maxamed', 'mohd', 'md', 'mhmd'],
  ['ahmed', 'ahmad', 'ahmet', 'axmed'],
  ['abdi', 'cabdi', 'abdie'],
  ['ali', 'cali', 'aly'],
  ['abdullah', 'abdallah', 'abdulla', 'cabdullahi', 'abdullahi'],
  ['abdulrahman', 'abdurrahman', 'abdelrahman', 'abdalrahman'],
  ['hussain', 'hussein', 'husain', 'hossain', 'husein', 'xuseen'],
  ['hassan', 'hasan', 'xasan'],
  ['yusuf', 'yousuf', 'yousef', 'youssef', 'yusef', 'joseph'],
  ['ibrahim', 'ebrahim', 'ibraheem', 'abraham'],
  ['fatima', 'fatimah', 'fatma', 'faatima'],
  ['aisha', 'ayesha', 'aysha', 'aishah', 'ayisha', 'aicha', 'caisha'],
  ['zainab', 'zaynab', 'zeinab'],
  ['maryam', 'mariam', 'maryan', 'mariyam', 'miriam'],
  ['khadija', 'khadijah', 'khadeeja', 'xadiija'],
  ['chowdhury', 'choudhury', 'chaudhry', 'chaudhary', 'choudhary', 'chowdhry'],
  ['zoe', 'zoey', 'zoee'],
  ['leigh', 'lee'],
  ['jayden', 'jaiden', 'jaden', 'jaydon', 'jadon'],
  ['mia', 'miya', 'mya'],
  ['sophie', 'sofie', 'sofia', 'sophia'],
  ['kayden', 'caden', 'kaden', 'caiden'],
  ['aidan', 'aiden', 'aden', 'ayden'],
  ['layla', 'leila', 'laila', 'lila', 'leyla'],
  ['chloe', 'khloe', 'cloe'],
  ['nowak', 'novak'],
  ['kowalski', 'kowalska'],
  ['chen', 'chan'],
  ['zhang', 'cheung', 'chang'],
  ['nguyen', 'nguyenn', 'ngyuen'],
  ['dmitri', 'dmitry', 'dmitriy'],
  ['papadopoulos', 'papadopoylos'],
  ['mueller', 'muller', 'miller'],
  ['mcdonald', 'macdonald'],
  ['catherine', 'katherine', 'kathryn', 'katharine'],
  ['stephen', 'steven'],
  ['philip', 'phillip', 'filip'],
  ['sara', 'sarah'],
  ['hannah', 'hanna'],
  ['rhys', 'reece', 'reese', 'rees'],
  ['siobhan', 'shevaun', 'chevonne', 'shivaun'],
]

function indexOf(groups: readonly (readonly string[])[]): Map<string, number[]> {
  const map = new Map<string, number[]>()
  groups.forEach((group, i) => {
    for (const name of group) {
      const list = map.get(name) ?? []
      if (!list.includes(i)) list.push(i)
      map.set(name, list)
    }
  })
  return map
}

const nicknameIndex = indexOf(NICKNAMES)
const variantIndex = indexOf(VARIANTS)

const shareGroup = (index: Map<string, number[]>, a: string, b: string) => {
  const ga = index.get(a)
  const gb = index.get(b)
  return !!ga && !!gb && ga.some((g) => gb.includes(g))
}

/** Whether one name is a known short form or nickname of the other (Alfie and Alfred). */
export function isNickname(a: string, b: string): boolean {
  return a !== b && shareGroup(nicknameIndex, a, b)
}

/** Whether two spellings are known variants of one name (Mohammed and Muhammad). */
export function isSpellingVariant(a: string, b: string): boolean {
  return a !== b && shareGroup(variantIndex, a, b)
}

/**
 * The canonical keys of a name for blocking: the first name of every nickname or variant group it
 * is in, or the name itself. Two names that are nicknames of each other share at least one key.
 */
export function canonicalNames(name: string): string[] {
  const keys = new Set<string>()
  for (const g of nicknameIndex.get(name) ?? []) keys.add(NICKNAMES[g]![0]!)
  for (const g of variantIndex.get(name) ?? []) keys.add(VARIANTS[g]![0]!)
  if (keys.size === 0) keys.add(name)
  return [...keys]
}

/** Every other name in a nickname or variant group with this one (Bobby: Robert, Rob, Bob, …). */
export function nameForms(name: string): string[] {
  const forms = new Set<string>()
  for (const g of nicknameIndex.get(name) ?? []) for (const n of NICKNAMES[g]!) forms.add(n)
  for (const g of variantIndex.get(name) ?? []) for (const n of VARIANTS[g]!) forms.add(n)
  forms.delete(name)
  return [...forms]
}
