/**
 * Short story texts written for the tests: 16 languages, 7 texts each (112 in all), 1-3 sentences,
 * the length a Discord user types. Used by the detection test (>= 95% right on 2+ sentences) and
 * by the accuracy figures in docs/languages.md, which were measured over these texts.
 */
export interface Sample {
  lang: string;
  sentences: 1 | 2 | 3;
  text: string;
}

const s = (lang: string, sentences: 1 | 2 | 3, text: string): Sample => ({ lang, sentences, text });

export const DETECTION_SET: Sample[] = [
  s('en', 1, 'The old fisherman pulled a glowing bottle from the sea.'),
  s('en', 1, 'Nobody in the village believed the girl who talked to owls.'),
  s('en', 2, 'A fox found a lantern in the snow. It lit the whole forest.'),
  s('en', 2, 'The train stopped in the middle of nowhere. Everyone looked out of the window at the same time.'),
  s('en', 2, 'My grandmother kept a key she never used. Last winter we finally found the door.'),
  s(
    'en',
    3,
    'The robot woke up alone in the museum. It walked past the dinosaurs and the paintings. At dawn it opened the doors for the first visitors.',
  ),
  s(
    'en',
    3,
    'Rain fell on the city for forty days. The children built boats from old newspapers. One of them sailed all the way to the harbour.',
  ),

  s('es', 1, 'El viejo pescador sacó del mar una botella que brillaba.'),
  s('es', 1, 'Nadie en el pueblo creía a la niña que hablaba con los búhos.'),
  s('es', 2, 'Un zorro encontró una linterna en la nieve. Con ella iluminó todo el bosque.'),
  s('es', 2, 'El tren se detuvo en medio de la nada. Todos miraron por la ventana al mismo tiempo.'),
  s('es', 2, 'Mi abuela guardaba una llave que nunca usaba. El invierno pasado por fin encontramos la puerta.'),
  s(
    'es',
    3,
    'El robot despertó solo en el museo. Caminó entre los dinosaurios y los cuadros. Al amanecer abrió las puertas a los primeros visitantes.',
  ),
  s(
    'es',
    3,
    'Llovió sobre la ciudad durante cuarenta días. Los niños hicieron barcos con periódicos viejos. Uno de ellos navegó hasta el puerto.',
  ),

  s('fr', 1, 'Le vieux pêcheur a sorti de la mer une bouteille qui brillait.'),
  s('fr', 1, 'Personne au village ne croyait la petite fille qui parlait aux hiboux.'),
  s('fr', 2, 'Un renard a trouvé une lanterne dans la neige. Elle a éclairé toute la forêt.'),
  s('fr', 2, "Le train s'est arrêté au milieu de nulle part. Tout le monde a regardé par la fenêtre en même temps."),
  s('fr', 2, "Ma grand-mère gardait une clé dont elle ne se servait jamais. L'hiver dernier, nous avons enfin trouvé la porte."),
  s(
    'fr',
    3,
    "Le robot s'est réveillé seul dans le musée. Il a marché entre les dinosaures et les tableaux. À l'aube, il a ouvert les portes aux premiers visiteurs.",
  ),
  s(
    'fr',
    3,
    "Il a plu sur la ville pendant quarante jours. Les enfants ont construit des bateaux avec de vieux journaux. L'un d'eux a navigué jusqu'au port.",
  ),

  s('de', 1, 'Der alte Fischer zog eine leuchtende Flasche aus dem Meer.'),
  s('de', 1, 'Niemand im Dorf glaubte dem Mädchen, das mit den Eulen sprach.'),
  s('de', 2, 'Ein Fuchs fand eine Laterne im Schnee. Sie erhellte den ganzen Wald.'),
  s('de', 2, 'Der Zug hielt mitten im Nirgendwo. Alle schauten gleichzeitig aus dem Fenster.'),
  s('de', 2, 'Meine Großmutter hatte einen Schlüssel, den sie nie benutzte. Letzten Winter haben wir endlich die Tür gefunden.'),
  s(
    'de',
    3,
    'Der Roboter wachte allein im Museum auf. Er ging an den Dinosauriern und den Gemälden vorbei. Bei Sonnenaufgang öffnete er die Türen für die ersten Besucher.',
  ),
  s(
    'de',
    3,
    'Vierzig Tage lang regnete es über der Stadt. Die Kinder bauten Boote aus alten Zeitungen. Eines davon segelte bis zum Hafen.',
  ),

  s('it', 1, 'Il vecchio pescatore tirò fuori dal mare una bottiglia che brillava.'),
  s('it', 1, 'Nessuno nel villaggio credeva alla bambina che parlava con i gufi.'),
  s('it', 2, 'Una volpe trovò una lanterna nella neve. Con quella illuminò tutto il bosco.'),
  s('it', 2, 'Il treno si fermò in mezzo al nulla. Tutti guardarono fuori dal finestrino nello stesso momento.'),
  s('it', 2, "Mia nonna conservava una chiave che non usava mai. L'inverno scorso abbiamo finalmente trovato la porta."),
  s('it', 3, "Il robot si svegliò da solo nel museo. Camminò tra i dinosauri e i quadri. All'alba aprì le porte ai primi visitatori."),
  s(
    'it',
    3,
    'Piovve sulla città per quaranta giorni. I bambini costruirono barche con vecchi giornali. Una di queste navigò fino al porto.',
  ),

  s('pt', 1, 'O velho pescador tirou do mar uma garrafa que brilhava.'),
  s('pt', 1, 'Ninguém na aldeia acreditava na menina que conversava com as corujas.'),
  s('pt', 2, 'Uma raposa encontrou uma lanterna na neve. Com ela iluminou a floresta inteira.'),
  s('pt', 2, 'O trem parou no meio do nada. Todos olharam pela janela ao mesmo tempo.'),
  s('pt', 2, 'Minha avó guardava uma chave que nunca usava. No inverno passado finalmente encontramos a porta.'),
  s(
    'pt',
    3,
    'O robô acordou sozinho no museu. Ele andou entre os dinossauros e os quadros. Ao amanhecer, abriu as portas para os primeiros visitantes.',
  ),
  s('pt', 3, 'Choveu sobre a cidade durante quarenta dias. As crianças fizeram barcos com jornais velhos. Um deles navegou até o porto.'),

  s('nl', 1, 'De oude visser haalde een glanzende fles uit de zee.'),
  s('nl', 1, 'Niemand in het dorp geloofde het meisje dat met uilen praatte.'),
  s('nl', 2, 'Een vos vond een lantaarn in de sneeuw. Hij verlichtte het hele bos.'),
  s('nl', 2, 'De trein stopte midden in het niets. Iedereen keek tegelijk uit het raam.'),
  s('nl', 2, 'Mijn oma bewaarde een sleutel die ze nooit gebruikte. Afgelopen winter vonden we eindelijk de deur.'),
  s(
    'nl',
    3,
    'De robot werd alleen wakker in het museum. Hij liep langs de dinosaurussen en de schilderijen. Bij zonsopgang opende hij de deuren voor de eerste bezoekers.',
  ),
  s(
    'nl',
    3,
    'Het regende veertig dagen op de stad. De kinderen bouwden bootjes van oude kranten. Eén ervan zeilde helemaal tot aan de haven.',
  ),

  s('pl', 1, 'Stary rybak wyciągnął z morza świecącą butelkę.'),
  s('pl', 1, 'Nikt we wsi nie wierzył dziewczynce, która rozmawiała z sowami.'),
  s('pl', 2, 'Lis znalazł latarnię w śniegu. Oświetlił nią cały las.'),
  s('pl', 2, 'Pociąg zatrzymał się w szczerym polu. Wszyscy jednocześnie wyjrzeli przez okno.'),
  s('pl', 2, 'Moja babcia trzymała klucz, którego nigdy nie używała. Zeszłej zimy w końcu znaleźliśmy drzwi.'),
  s('pl', 3, 'Robot obudził się sam w muzeum. Przeszedł obok dinozaurów i obrazów. O świcie otworzył drzwi pierwszym zwiedzającym.'),
  s('pl', 3, 'Przez czterdzieści dni nad miastem padał deszcz. Dzieci zrobiły łódki ze starych gazet. Jedna z nich dopłynęła aż do portu.'),

  s('tr', 1, 'Yaşlı balıkçı denizden parlayan bir şişe çıkardı.'),
  s('tr', 1, 'Köyde kimse baykuşlarla konuşan kıza inanmıyordu.'),
  s('tr', 2, 'Bir tilki karda bir fener buldu. Onunla bütün ormanı aydınlattı.'),
  s('tr', 2, 'Tren hiçbir yerin ortasında durdu. Herkes aynı anda pencereden dışarı baktı.'),
  s('tr', 2, 'Büyükannem hiç kullanmadığı bir anahtar saklardı. Geçen kış sonunda kapıyı bulduk.'),
  s('tr', 3, 'Robot müzede tek başına uyandı. Dinozorların ve tabloların arasından yürüdü. Şafakta kapıları ilk ziyaretçilere açtı.'),
  s('tr', 3, 'Şehre kırk gün boyunca yağmur yağdı. Çocuklar eski gazetelerden kayıklar yaptı. Onlardan biri limana kadar gitti.'),

  s('ru', 1, 'Старый рыбак вытащил из моря светящуюся бутылку.'),
  s('ru', 1, 'Никто в деревне не верил девочке, которая разговаривала с совами.'),
  s('ru', 2, 'Лиса нашла в снегу фонарь. Он осветил весь лес.'),
  s('ru', 2, 'Поезд остановился посреди поля. Все одновременно посмотрели в окно.'),
  s('ru', 2, 'У бабушки был ключ, которым она никогда не пользовалась. Прошлой зимой мы наконец нашли дверь.'),
  s('ru', 3, 'Робот проснулся один в музее. Он прошёл мимо динозавров и картин. На рассвете он открыл двери первым посетителям.'),
  s('ru', 3, 'Сорок дней над городом шёл дождь. Дети делали кораблики из старых газет. Один из них доплыл до самой гавани.'),

  s('ja', 1, '年老いた漁師は海から光る瓶を引き上げた。'),
  s('ja', 1, '村の誰も、フクロウと話す少女を信じなかった。'),
  s('ja', 2, 'キツネが雪の中でランタンを見つけた。その光が森じゅうを照らした。'),
  s('ja', 2, '列車は何もない場所で止まった。みんな同時に窓の外を見た。'),
  s('ja', 2, '祖母は一度も使わない鍵を持っていた。去年の冬、私たちはついにその扉を見つけた。'),
  s('ja', 3, 'ロボットは博物館でひとり目を覚ました。恐竜と絵画のあいだを歩いた。夜明けに、最初の客のために扉を開けた。'),
  s('ja', 3, '町には四十日間雨が降り続いた。子どもたちは古新聞で船を作った。そのうちの一つが港までたどり着いた。'),

  s('zh', 1, '老渔夫从海里捞出一个发光的瓶子。'),
  s('zh', 1, '村里没有人相信那个和猫头鹰说话的女孩。'),
  s('zh', 2, '一只狐狸在雪地里找到了一盏灯笼。它照亮了整片森林。'),
  s('zh', 2, '火车停在了荒野中间。所有人同时望向窗外。'),
  s('zh', 2, '奶奶有一把从来不用的钥匙。去年冬天，我们终于找到了那扇门。'),
  s('zh', 3, '机器人在博物馆里独自醒来。它走过恐龙和油画。天亮时，它为第一批游客打开了大门。'),
  s('zh', 3, '城里下了四十天的雨。孩子们用旧报纸折小船。其中一只一直漂到了港口。'),

  s('ko', 1, '늙은 어부가 바다에서 빛나는 병을 건져 올렸다.'),
  s('ko', 1, '마을의 누구도 부엉이와 이야기하는 소녀를 믿지 않았다.'),
  s('ko', 2, '여우가 눈 속에서 등불을 발견했다. 그 빛이 숲 전체를 밝혔다.'),
  s('ko', 2, '기차가 허허벌판 한가운데에 멈췄다. 모두가 동시에 창밖을 내다보았다.'),
  s('ko', 2, '할머니는 한 번도 쓰지 않는 열쇠를 가지고 계셨다. 지난겨울 우리는 마침내 그 문을 찾았다.'),
  s('ko', 3, '로봇이 박물관에서 혼자 깨어났다. 공룡과 그림 사이를 걸어 다녔다. 새벽이 되자 첫 방문객들을 위해 문을 열었다.'),
  s('ko', 3, '도시에 사십 일 동안 비가 내렸다. 아이들은 헌 신문지로 배를 만들었다. 그중 하나가 항구까지 떠내려갔다.'),

  s('ar', 1, 'أخرج الصياد العجوز من البحر زجاجة تلمع.'),
  s('ar', 1, 'لم يصدق أحد في القرية الفتاة التي تتكلم مع البوم.'),
  s('ar', 2, 'وجد ثعلب فانوسًا في الثلج. أضاء به الغابة كلها.'),
  s('ar', 2, 'توقف القطار في وسط الصحراء. نظر الجميع من النافذة في اللحظة نفسها.'),
  s('ar', 2, 'كانت جدتي تحتفظ بمفتاح لم تستعمله أبدًا. في الشتاء الماضي وجدنا الباب أخيرًا.'),
  s('ar', 3, 'استيقظ الروبوت وحيدًا في المتحف. مشى بين الديناصورات واللوحات. عند الفجر فتح الأبواب لأول الزوار.'),
  s('ar', 3, 'هطل المطر على المدينة أربعين يومًا. صنع الأطفال قوارب من الصحف القديمة. أبحر أحدها حتى وصل إلى الميناء.'),

  s('he', 1, 'הדייג הזקן שלף מן הים בקבוק זוהר.'),
  s('he', 1, 'אף אחד בכפר לא האמין לילדה שדיברה עם הינשופים.'),
  s('he', 2, 'שועל מצא פנס בשלג. האור שלו האיר את כל היער.'),
  s('he', 2, 'הרכבת עצרה באמצע שום מקום. כולם הביטו מהחלון באותו רגע.'),
  s('he', 2, 'לסבתא שלי היה מפתח שהיא אף פעם לא השתמשה בו. בחורף שעבר סוף סוף מצאנו את הדלת.'),
  s('he', 3, 'הרובוט התעורר לבד במוזיאון. הוא הלך בין הדינוזאורים והציורים. עם שחר הוא פתח את הדלתות למבקרים הראשונים.'),
  s('he', 3, 'ארבעים יום ירד גשם על העיר. הילדים בנו סירות מעיתונים ישנים. אחת מהן הפליגה עד לנמל.'),

  s('hi', 1, 'बूढ़े मछुआरे ने समुद्र से एक चमकती हुई बोतल निकाली।'),
  s('hi', 1, 'गाँव में कोई भी उस लड़की पर विश्वास नहीं करता था जो उल्लुओं से बात करती थी।'),
  s('hi', 2, 'एक लोमड़ी को बर्फ़ में एक लालटेन मिली। उसकी रोशनी से पूरा जंगल जगमगा उठा।'),
  s('hi', 2, 'ट्रेन एक सुनसान जगह पर रुक गई। सबने एक साथ खिड़की से बाहर देखा।'),
  s('hi', 2, 'मेरी दादी के पास एक चाबी थी जिसे वह कभी इस्तेमाल नहीं करती थीं। पिछली सर्दियों में आखिरकार हमें वह दरवाज़ा मिल गया।'),
  s('hi', 3, 'रोबोट संग्रहालय में अकेला जागा। वह डायनासोरों और चित्रों के बीच चला। भोर होते ही उसने पहले आगंतुकों के लिए दरवाज़े खोल दिए।'),
  s('hi', 3, 'शहर में चालीस दिन तक बारिश होती रही। बच्चों ने पुराने अख़बारों से नावें बनाईं। उनमें से एक बहकर बंदरगाह तक पहुँच गई।'),
];
