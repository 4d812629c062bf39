/* gazetteer.c - world-knowledge names for the extract stage: places, organisations, titles.
 *
 * Plain data, general knowledge only: the world's countries (with common
 * short forms and a few names in the stage's languages), regions, US
 * states, capitals and large cities; international bodies, government
 * bodies, armed groups, news agencies and large companies; the titles and
 * honorifics that mark a person; common given names; and the role words
 * that end a byline. Entities (entities.c) type spans with them, datelines
 * (title.c) check places, bylines (author.c) strip roles. lexicon.c turns
 * the lists into hash tables.
 * SPDX-License-Identifier: MIT
 */
#include "extract.h"

const char *const sift_gaz_places[] = {
    /* countries */
    "Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|"
    "Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|"
    "Bolivia|Bosnia|Bosnia and Herzegovina|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|"
    "Burundi|Cambodia|Cameroon|Canada|Cape Verde|Chad|Chile|China|Colombia|Comoros|Congo|"
    "Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|"
    "Dominican Republic|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|"
    "Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|"
    "Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|Iceland|India|"
    "Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|"
    "Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|"
    "Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|"
    "Mauritania|Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|"
    "Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|"
    "North Korea|North Macedonia|Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|"
    "Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|"
    "Rwanda|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|"
    "Singapore|Slovakia|Slovenia|Somalia|South Africa|South Korea|South Sudan|Spain|"
    "Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|"
    "Thailand|Timor-Leste|East Timor|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|"
    "Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|United Kingdom|"
    "UK|U.K.|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|United States|"
    "United States of America|US|U.S.|USA|U.S.A.|America|Uruguay|Uzbekistan|Vanuatu|"
    "Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Hong Kong|Macau|Greenland|Puerto Rico",
    /* regions */
    "Europe|Asia|Africa|North America|South America|Latin America|Central America|"
    "Middle East|Near East|Far East|Central Asia|South Asia|Southeast Asia|East Asia|"
    "Western Europe|Eastern Europe|Scandinavia|Balkans|Caribbean|Arctic|Antarctica|"
    "Pacific|Atlantic|Mediterranean|Persian Gulf|Gulf|Sahara|Sahel|Siberia|Caucasus|"
    "Kashmir|Crimea|Donbas|Gaza|Gaza Strip|West Bank|Golan Heights|Kurdistan|Tibet|"
    "Xinjiang|Balochistan|Punjab|Bavaria|Catalonia|Quebec|Ontario|California|Texas|"
    "Florida|New York|Alabama|Alaska|Arizona|Arkansas|Colorado|Connecticut|Delaware|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    "New Hampshire|New Jersey|New Mexico|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|"
    "Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Utah|Vermont|"
    "Virginia|West Virginia|Wisconsin|Wyoming|Silicon Valley|Wall Street",
    /* capitals and large cities */
    "Kabul|Tirana|Algiers|Buenos Aires|Yerevan|Canberra|Sydney|Melbourne|Vienna|Baku|"
    "Manama|Dhaka|Minsk|Brussels|Sarajevo|Brasilia|Brasília|Sao Paulo|São Paulo|"
    "Rio de Janeiro|Sofia|Phnom Penh|Ottawa|Toronto|Montreal|Vancouver|Santiago|Beijing|"
    "Shanghai|Shenzhen|Guangzhou|Wuhan|Bogota|Bogotá|Havana|Nicosia|Prague|Copenhagen|"
    "Cairo|Tallinn|Addis Ababa|Helsinki|Paris|Marseille|Lyon|Tbilisi|Berlin|Hamburg|"
    "Munich|München|Frankfurt|Cologne|Köln|Accra|Athens|Budapest|Reykjavik|New Delhi|"
    "Delhi|Mumbai|Kolkata|Chennai|Bangalore|Bengaluru|Hyderabad|Jakarta|Tehran|Baghdad|"
    "Dublin|Jerusalem|Tel Aviv|Rome|Milan|Naples|Turin|Tokyo|Osaka|Kyoto|Amman|Astana|"
    "Almaty|Nairobi|Pristina|Kuwait City|Bishkek|Vientiane|Riga|Beirut|Tripoli|Vilnius|"
    "Kuala Lumpur|Valletta|Mexico City|Chisinau|Ulaanbaatar|Podgorica|Rabat|Casablanca|"
    "Maputo|Naypyidaw|Yangon|Kathmandu|Amsterdam|Rotterdam|The Hague|Wellington|Auckland|"
    "Managua|Niamey|Abuja|Lagos|Pyongyang|Skopje|Oslo|Muscat|Islamabad|Karachi|Lahore|"
    "Peshawar|Panama City|Asuncion|Lima|Manila|Warsaw|Lisbon|Porto|Doha|Bucharest|Moscow|"
    "Saint Petersburg|St. Petersburg|Kigali|Riyadh|Jeddah|Mecca|Dakar|Belgrade|Freetown|"
    "Bratislava|Ljubljana|Mogadishu|Pretoria|Johannesburg|Cape Town|Seoul|Busan|Juba|"
    "Madrid|Barcelona|Valencia|Seville|Colombo|Khartoum|Stockholm|Bern|Zurich|Zürich|"
    "Geneva|Damascus|Aleppo|Taipei|Dushanbe|Dodoma|Dar es Salaam|Bangkok|Lome|Tunis|Ankara|"
    "Istanbul|Ashgabat|Kampala|Kyiv|Kiev|Kharkiv|Odesa|Odessa|Lviv|Abu Dhabi|Dubai|London|"
    "Manchester|Birmingham|Liverpool|Edinburgh|Glasgow|Belfast|Cardiff|Washington|"
    "Washington, D.C.|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|"
    "San Diego|Dallas|San Francisco|Seattle|Boston|Miami|Atlanta|Detroit|Denver|"
    "Las Vegas|New Orleans|Baltimore|Montevideo|Tashkent|Caracas|Hanoi|Ho Chi Minh City|"
    "Sanaa|Lusaka|Harare|Kandahar|Herat|Mosul|Basra|Kirkuk|Erbil|Raqqa|Idlib|Benghazi|"
    "Quetta|Rawalpindi|Srinagar|Dhaka|Chittagong|Lusaka|Brussels|Strasbourg|Luxembourg City|"
    "Monaco|Davos|Vatican City|Hiroshima|Nagasaki|Fukushima|Okinawa|Sapporo|Yokohama",
    /* names in the stage's other languages */
    "Deutschland|Frankreich|Russland|Großbritannien|Spanien|Italien|Österreich|Schweiz|"
    "Niederlande|Polen|Türkei|Vereinigte Staaten|Allemagne|Angleterre|Royaume-Uni|"
    "États-Unis|Espagne|Italie|Russie|Chine|Japon|Belgique|Suisse|Alemania|Francia|"
    "Rusia|Estados Unidos|Reino Unido|Italia|España|Brasil|México|Alemanha|França|"
    "Rússia|Espanha|Itália|Inglaterra|Duitsland|Frankrijk|Rusland|Verenigde Staten|"
    "Spanje|Italië|België|Россия|США|Германия|Франция|Китай|Украина|Великобритания|"
    "Япония|Италия|Испания|Польша|Турция|Беларусь|Казахстан|Москва|Санкт-Петербург|"
    "Киев|Минск|Вашингтон|Лондон|Париж|Берлин|Пекин|Токио|Wien|Genf|Mailand|Rom|Moskau|"
    "Londres|Bruxelles|Moscou|Pékin|Varsovie|Lisbonne|Nueva York|Londres|Roma|Pekín|"
    "Moscú|Nova Iorque|Pequim|Moscovo",
    NULL,
};

const char *const sift_gaz_orgs[] = {
    "United Nations|UN|U.N.|UN Security Council|Security Council|General Assembly|NATO|"
    "EU|European Union|European Commission|European Parliament|European Council|"
    "European Central Bank|ECB|Council of Europe|OSCE|WHO|World Health Organization|"
    "World Health Organisation|IMF|International Monetary Fund|World Bank|WTO|"
    "World Trade Organization|OPEC|OECD|ASEAN|African Union|Arab League|G7|G20|BRICS|"
    "Red Cross|Red Crescent|ICRC|UNICEF|UNESCO|UNHCR|UNRWA|FAO|IAEA|ICC|"
    "International Criminal Court|International Court of Justice|Interpol|Europol|"
    "Amnesty International|Human Rights Watch|Greenpeace|Doctors Without Borders|MSF|"
    "FBI|CIA|NSA|DHS|DOJ|Pentagon|White House|State Department|Department of State|"
    "Justice Department|Department of Justice|Defense Department|Department of Defense|"
    "Treasury|Treasury Department|Homeland Security|Congress|Senate|House of "
    "Representatives|Supreme Court|Federal Reserve|SEC|FDA|CDC|NASA|EPA|IRS|FAA|FCC|"
    "Kremlin|Downing Street|Parliament|House of Commons|House of Lords|MI5|MI6|Scotland Yard|"
    "Bundestag|Bundesrat|Bundeswehr|Bundesregierung|Élysée|Assemblée nationale|Duma|"
    "State Duma|Knesset|Mossad|Politburo|Communist Party|ISI|Rada|Verkhovna Rada|"
    "Democratic Party|Republican Party|Democrats|Republicans|Labour|Labour Party|"
    "Conservative Party|Conservatives|Liberal Democrats|CDU|CSU|SPD|AfD|BJP|"
    "Taliban|Al Qaeda|Al-Qaeda|al-Qaeda|al Qaeda|ISIS|ISIL|Islamic State|Daesh|Hamas|"
    "Hezbollah|Hizbollah|Boko Haram|Al-Shabaab|al-Shabab|Houthis|PKK|IRA|Wagner Group|"
    "Reuters|AP|Associated Press|AFP|Agence France-Presse|BBC|CNN|Fox News|NBC|CBS|ABC|"
    "MSNBC|NPR|PBS|Bloomberg|New York Times|The New York Times|Washington Post|"
    "The Washington Post|Wall Street Journal|The Wall Street Journal|Financial Times|"
    "The Guardian|Guardian|The Economist|Economist|Axios|Al Jazeera|"
    "dpa|DPA|ANI|PTI|IANS|Xinhua|TASS|ТАСС|RIA Novosti|РИА Новости|Interfax|Интерфакс|"
    "Kyodo|Yonhap|EFE|ANSA|Der Spiegel|Spiegel|Le Monde|El País|Die Zeit|Le Figaro|"
    "Apple|Google|Alphabet|Microsoft|Amazon|Meta|Facebook|Instagram|WhatsApp|Twitter|"
    "YouTube|TikTok|ByteDance|Tesla|SpaceX|Netflix|IBM|Intel|Nvidia|AMD|Qualcomm|Samsung|"
    "Sony|Toyota|Honda|Nissan|Volkswagen|BMW|Mercedes-Benz|Daimler|Siemens|Bosch|Huawei|"
    "Alibaba|Tencent|Baidu|Uber|Airbnb|Boeing|Airbus|Lockheed Martin|Shell|BP|"
    "ExxonMobil|Exxon|Chevron|Gazprom|Rosneft|Saudi Aramco|Aramco|Walmart|JPMorgan|"
    "JPMorgan Chase|Goldman Sachs|Morgan Stanley|Citigroup|HSBC|Barclays|Deutsche Bank|"
    "UBS|Credit Suisse|Nestlé|Unilever|Pfizer|Moderna|AstraZeneca|BioNTech|"
    "Johnson & Johnson|Coca-Cola|PepsiCo|McDonald's|Disney|OpenAI|Oracle|Cisco|Sberbank|"
    "Yandex|FIFA|UEFA|IOC|NBA|NFL|MLB|NHL|Premier League|Bundesliga|La Liga|Serie A|"
    "Harvard|Harvard University|Stanford|Stanford University|MIT|Oxford|Oxford University|"
    "Cambridge University|Yale|Princeton",
    NULL,
};

/* Titles as written; a final period is part of the abbreviation. */
const char *const sift_gaz_titles[] = {
    "President|Vice President|Vice-President|President-elect|Prime Minister|Minister|"
    "Secretary|Secretary-General|Ambassador|Senator|Sen.|Rep.|Representative|Congressman|"
    "Congresswoman|Governor|Gov.|Mayor|Chancellor|King|Queen|Prince|Princess|Crown Prince|"
    "Pope|Judge|Justice|Professor|Prof.|Dr.|Dr|Mr.|Mr|Mrs.|Mrs|Ms.|Ms|Miss|Sir|Dame|Lord|"
    "Lady|General|Gen.|Lt.|Lieutenant|Colonel|Col.|Major|Maj.|Captain|Capt.|Admiral|Adm.|"
    "Sergeant|Sgt.|Commander|Chairman|Chairwoman|Spokesman|Spokeswoman|Spokesperson|Envoy|"
    "Commissioner|Sheikh|Emir|Ayatollah|Imam|Rabbi|Bishop|Cardinal|Rev.|Reverend|Herr|Frau|"
    "Bundeskanzler|Bundeskanzlerin|Kanzler|Kanzlerin|Präsident|Präsidentin|"
    "Ministerin|M.|Mme|Mme.|Monsieur|Madame|président|présidente|ministre|Sr.|Sra.|Don|"
    "Doña|presidente|ministro|ministra|Signor|Sig.|Dott.|Senhor|Dona|president|minister|"
    "premier|Premier|президент|премьер-министр|министр|глава|губернатор|мэр|посол|депутат|"
    "генерал|патриарх",
    NULL,
};

const char *const sift_gaz_given[] = {
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher "
    "Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian "
    "George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan "
    "Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick "
    "Raymond Jack Dennis Jerry Tyler Aaron Jose José Adam Nathan Henry Douglas Zachary "
    "Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald Harold Sean "
    "Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan "
    "Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby "
    "Mason Philip Louis Tom Tim Jim Bob Bill Dan Ben Sam Nick Tony Steve Mike Chris Matt "
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy "
    "Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy "
    "Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley "
    "Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel "
    "Carolyn Janet Catherine Maria María Heather Diane Ruth Julie Olivia Joyce Virginia "
    "Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah "
    "Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail "
    "Alice Julia Judy Sophia Sophie Grace Denise Amber Doris Marilyn Danielle Beverly "
    "Isabella Theresa Diana Natalie Charlotte Marie Kate Jane Anne Claire Lucy Jenny "
    "Muhammad Mohammed Mohammad Mohamed Ahmed Ahmad Ali Hassan Hussein Omar Abdul Abdullah "
    "Khalid Mahmoud Mustafa Ibrahim Yusuf Youssef Tariq Fatima Aisha Ayesha Rahul Raj Amit "
    "Sanjay Priya Vijay Sunil Anil Ravi Vladimir Sergei Sergey Dmitry Dmitri Alexei Alexey "
    "Ivan Mikhail Nikolai Andrei Andriy Olga Natalia Natalya Tatiana Elena Irina Yulia "
    "Emmanuel Pierre François Jacques Michel Nicolas Philippe Alain Olaf Friedrich Hans "
    "Klaus Jürgen Wolfgang Karl Heinz Ursula Markus Stefan Thomas Andreas Giuseppe Giorgio "
    "Giovanni Mario Matteo Sergio Luigi Marco Francesco Carlos Luis Pedro Jorge Miguel "
    "Manuel Antonio Francisco Javier Pablo Luiz João Paulo Xi Shinzo Fumio Hiroshi Takeshi "
    "Recep Boris Rishi Keir Liz Kamala Hillary Bernie Elon Jeff Warren Tim Satya Sundar "
    "Владимир Сергей Дмитрий Алексей Иван Михаил Николай Андрей Ольга Наталья Татьяна "
    "Елена Ирина Юлия Александр Евгений Павел Анна Мария",
    NULL,
};

/* Lower-case role and organisation words that end or void a byline name. */
const char *const sift_gaz_roles[] = {
    "staff writer writers correspondent correspondents reporter reporters editor editors "
    "columnist columnists contributor contributors contributing senior chief political "
    "foreign affairs opinion desk bureau news team agency agencies wire wires service "
    "online digital web editorial analyst producer photographer photojournalist author "
    "guest special associate deputy managing executive national international business "
    "sports science technology tech health culture times post media press newsroom "
    "journal daily weekly magazine network radio tv television channel group inc ltd llc "
    "gmbh admin administrator webmaster editorial board newsdesk updated published "
    "redaktion redakteur redakteurin korrespondent korrespondentin autor autorin rédaction "
    "journaliste correspondant correspondante envoyé envoyée spécial spéciale redacción "
    "corresponsal periodista redazione giornalista corrispondente redação repórter "
    "correspondente jornalista redactie verslaggever корреспондент редакция обозреватель "
    "журналист автор",
    NULL,
};

/* Last words that make a capitalised name an organisation ("... Ministry"). */
const char *const sift_gaz_org_words[] = {
    "Inc Corp Ltd LLC Group Company Co Party Department Ministry Agency Council "
    "Committee Commission University College Institute Bank Army Navy Police Court "
    "Parliament Association Foundation Organisation Organization Union Network Times "
    "Post Fund Office Embassy Forces Force Corps Senate Assembly Federation League "
    "Club Church Hospital School Authority Board Service Services Bureau "
    "Administration Airlines Airways Motors Technologies Systems Holdings News Press "
    "Media Mission Ministerium Partei Ministère Ministerio Ministero Universität "
    "Université Universidad Università",
    NULL,
};

/* Last words that make a capitalised name a place ("... River"). */
const char *const sift_gaz_place_words[] = {
    "City County Province Island Islands River Mountains Valley Street Avenue Square "
    "Airport Bay Lake Sea Ocean Region District Republic Kingdom Strait Peninsula "
    "Desert Coast",
    NULL,
};
