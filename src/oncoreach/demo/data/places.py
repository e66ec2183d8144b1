"""Word lists for the demo data: where people practise, what they are called, their organizations.

Everything here is fictional: names are common given/family names per region, combined at
random, and organizations are built from city names. Country facts (names, languages, time
zones, income groups) come from the geo reference data, not from here.
"""

from __future__ import annotations

# ISO3 weight name-group org-language cities (";"-separated). The weight is the share of people
# outside the home country; the home country's share is set by the seeder (about two thirds).
_COUNTRY_TABLE = """
USA 0 us en New York;Boston;Houston;Chicago;Seattle;Los Angeles;Philadelphia;Baltimore;Nashville;Atlanta;Cleveland;Denver;Minneapolis;San Francisco;Miami;Pittsburgh;Ann Arbor;Rochester;Salt Lake City;St. Louis
IND 9 indian en Mumbai;New Delhi;Chennai;Bengaluru;Kolkata;Hyderabad;Pune;Ahmedabad;Lucknow;Thiruvananthapuram;Jaipur;Chandigarh
BRA 6 lusophone pt São Paulo;Rio de Janeiro;Belo Horizonte;Porto Alegre;Salvador;Recife;Curitiba;Fortaleza;Barretos;Brasília
MEX 5 hispanic es Ciudad de México;Guadalajara;Monterrey;Puebla;Mérida;Oaxaca;Tijuana;León
NGA 4 west_african en Lagos;Abuja;Ibadan;Enugu;Kano;Port Harcourt;Ile-Ife;Zaria
EGY 4 arab en Cairo;Alexandria;Mansoura;Assiut;Tanta;Zagazig
KEN 3 east_african en Nairobi;Eldoret;Kisumu;Mombasa;Nakuru
PHL 3 filipino en Manila;Quezon City;Cebu City;Davao City;Iloilo City;Baguio
COL 3 hispanic es Bogotá;Medellín;Cali;Barranquilla;Bucaramanga;Cartagena
PER 2.5 hispanic es Lima;Arequipa;Trujillo;Cusco;Piura
PAK 3 pakistani en Karachi;Lahore;Islamabad;Peshawar;Rawalpindi;Multan
VNM 2.5 vietnamese en Hanoi;Ho Chi Minh City;Hue;Da Nang;Can Tho;Hai Phong
CHN 3 chinese en Beijing;Shanghai;Guangzhou;Chengdu;Wuhan;Hangzhou;Tianjin
CAN 4 us en Toronto;Montreal;Vancouver;Calgary;Ottawa;Halifax;Winnipeg
GBR 3 us en London;Manchester;Birmingham;Glasgow;Leeds;Oxford;Cambridge
DEU 2 germanic de Berlin;Munich;Heidelberg;Hamburg;Frankfurt;Cologne
FRA 2 french fr Paris;Lyon;Marseille;Bordeaux;Toulouse;Lille;Villejuif
ITA 2 italian it Milan;Rome;Naples;Turin;Bologna;Padua
ESP 2 hispanic es Madrid;Barcelona;Valencia;Seville;Pamplona
JPN 3 japanese en Tokyo;Osaka;Nagoya;Kyoto;Fukuoka;Sapporo
KOR 2 korean en Seoul;Busan;Daegu;Incheon
AUS 2 us en Sydney;Melbourne;Brisbane;Perth;Adelaide
ARG 2.5 hispanic es Buenos Aires;Córdoba;Rosario;Mendoza;La Plata
CHL 1.5 hispanic es Santiago;Valparaíso;Concepción;Temuco
ZAF 2.5 southern_african en Johannesburg;Cape Town;Durban;Pretoria;Bloemfontein
GHA 2 west_african en Accra;Kumasi;Tamale;Cape Coast
ETH 1.5 ethiopian en Addis Ababa;Gondar;Mekelle;Jimma;Hawassa
UGA 1.5 east_african en Kampala;Mbarara;Gulu;Jinja
TZA 1.2 east_african en Dar es Salaam;Moshi;Mwanza;Dodoma
RWA 0.8 east_african fr Kigali;Butaro;Huye
ZMB 0.6 east_african en Lusaka;Ndola;Kitwe
ZWE 0.6 southern_african en Harare;Bulawayo
MWI 0.5 east_african en Lilongwe;Blantyre;Zomba
MOZ 0.4 lusophone pt Maputo;Beira;Nampula
CMR 0.8 francophone_african fr Yaoundé;Douala;Bamenda
SEN 0.6 francophone_african fr Dakar;Saint-Louis;Thiès
CIV 0.5 francophone_african fr Abidjan;Bouaké;Yamoussoukro
MAR 1 arab fr Casablanca;Rabat;Marrakesh;Fès;Oujda
TUN 0.8 arab fr Tunis;Sfax;Sousse
DZA 0.6 arab fr Algiers;Oran;Constantine
JOR 1 arab en Amman;Irbid;Zarqa
LBN 0.9 arab en Beirut;Tripoli;Sidon
SAU 1.2 arab en Riyadh;Jeddah;Dammam;Medina
ARE 0.8 arab en Abu Dhabi;Dubai;Al Ain
IRN 1.2 persian en Tehran;Shiraz;Mashhad;Isfahan;Tabriz
IRQ 0.7 arab en Baghdad;Erbil;Basra;Mosul
TUR 1.5 turkish en Istanbul;Ankara;Izmir;Bursa;Antalya
BGD 1.5 bangladeshi en Dhaka;Chattogram;Rajshahi;Sylhet
NPL 1 nepali en Kathmandu;Pokhara;Bharatpur
LKA 0.8 sri_lankan en Colombo;Kandy;Galle;Jaffna
IDN 1.5 malay en Jakarta;Surabaya;Bandung;Yogyakarta;Medan;Denpasar
MYS 1 malay en Kuala Lumpur;Penang;Johor Bahru;Kuching
THA 1.2 thai en Bangkok;Chiang Mai;Khon Kaen;Songkhla
MMR 0.5 thai en Yangon;Mandalay;Naypyidaw
KHM 0.4 thai en Phnom Penh;Siem Reap;Battambang
LAO 0.2 thai fr Vientiane;Luang Prabang
MNG 0.4 central_asian en Ulaanbaatar;Erdenet
KAZ 0.4 central_asian en Almaty;Astana;Shymkent
UZB 0.4 central_asian en Tashkent;Samarkand;Bukhara
KGZ 0.15 central_asian en Bishkek;Osh
TJK 0.1 central_asian en Dushanbe;Khujand
ECU 1 hispanic es Quito;Guayaquil;Cuenca
BOL 0.7 hispanic es La Paz;Santa Cruz de la Sierra;Cochabamba
PRY 0.5 hispanic es Asunción;Ciudad del Este
URY 0.5 hispanic es Montevideo;Salto
VEN 0.8 hispanic es Caracas;Maracaibo;Valencia;Barquisimeto
GTM 0.6 hispanic es Ciudad de Guatemala;Quetzaltenango
HND 0.5 hispanic es Tegucigalpa;San Pedro Sula
SLV 0.4 hispanic es San Salvador;Santa Ana
NIC 0.3 hispanic es Managua;León
CRI 0.5 hispanic es San José;Alajuela
PAN 0.4 hispanic es Ciudad de Panamá;David
DOM 0.6 hispanic es Santo Domingo;Santiago de los Caballeros
CUB 0.3 hispanic es La Habana;Santiago de Cuba
JAM 0.4 caribbean en Kingston;Montego Bay
HTI 0.3 haitian fr Port-au-Prince;Cap-Haïtien;Mirebalais
TTO 0.2 caribbean en Port of Spain;San Fernando
PRT 0.8 lusophone pt Lisbon;Porto;Coimbra
NLD 0.8 germanic en Amsterdam;Rotterdam;Utrecht;Leiden;Groningen
BEL 0.6 germanic fr Brussels;Leuven;Ghent;Liège
CHE 0.7 germanic de Zurich;Geneva;Bern;Basel;Lausanne
AUT 0.5 germanic de Vienna;Graz;Innsbruck
SWE 0.5 nordic en Stockholm;Gothenburg;Uppsala;Lund
NOR 0.4 nordic en Oslo;Bergen;Trondheim
DNK 0.4 nordic en Copenhagen;Aarhus;Odense
FIN 0.3 nordic en Helsinki;Tampere;Turku
IRL 0.5 us en Dublin;Cork;Galway
POL 0.8 slavic en Warsaw;Kraków;Gdańsk;Poznań;Wrocław
ROU 0.6 east_european en Bucharest;Cluj-Napoca;Iași
UKR 0.6 slavic en Kyiv;Lviv;Kharkiv;Odesa
RUS 0.8 slavic en Moscow;Saint Petersburg;Novosibirsk;Kazan
GRC 0.6 greek en Athens;Thessaloniki;Patras;Heraklion
HUN 0.4 east_european en Budapest;Debrecen;Szeged
CZE 0.4 slavic en Prague;Brno;Olomouc
SRB 0.4 slavic en Belgrade;Novi Sad;Niš
BGR 0.3 slavic en Sofia;Plovdiv;Varna
HRV 0.3 slavic en Zagreb;Split;Rijeka
ISR 0.8 israeli en Tel Aviv;Jerusalem;Haifa;Beersheba
GEO 0.3 east_european en Tbilisi;Batumi
ARM 0.3 east_european en Yerevan;Gyumri
AZE 0.2 turkish en Baku;Ganja
SGP 0.6 chinese en Singapore
NZL 0.4 us en Auckland;Wellington;Christchurch
TWN 0.6 chinese en Taipei;Kaohsiung;Taichung
HKG 0.4 chinese en Hong Kong
SDN 0.5 arab en Khartoum;Omdurman;Wad Madani
LBY 0.3 arab en Tripoli;Benghazi
SYR 0.3 arab en Damascus;Aleppo;Latakia
YEM 0.2 arab en Sana'a;Aden
AFG 0.2 persian en Kabul;Herat
OMN 0.2 arab en Muscat;Salalah
QAT 0.3 arab en Doha
KWT 0.3 arab en Kuwait City
BHR 0.1 arab en Manama
PSE 0.2 arab en Ramallah;Nablus;Gaza
NAM 0.2 southern_african en Windhoek;Oshakati
BWA 0.3 southern_african en Gaborone;Francistown
LSO 0.1 southern_african en Maseru
SWZ 0.1 southern_african en Mbabane;Manzini
MDG 0.3 francophone_african fr Antananarivo;Toamasina
MUS 0.2 indian en Port Louis;Curepipe
BEN 0.3 francophone_african fr Cotonou;Porto-Novo;Parakou
BFA 0.3 francophone_african fr Ouagadougou;Bobo-Dioulasso
MLI 0.3 francophone_african fr Bamako;Sikasso
NER 0.2 francophone_african fr Niamey;Zinder
TGO 0.2 francophone_african fr Lomé;Kara
GIN 0.2 francophone_african fr Conakry;Kankan
SLE 0.2 west_african en Freetown;Bo
LBR 0.2 west_african en Monrovia;Gbarnga
GMB 0.1 west_african en Banjul;Serekunda
COD 0.5 francophone_african fr Kinshasa;Lubumbashi;Goma;Bukavu
COG 0.2 francophone_african fr Brazzaville;Pointe-Noire
GAB 0.2 francophone_african fr Libreville;Franceville
AGO 0.4 lusophone pt Luanda;Huambo;Benguela
SSD 0.1 east_african en Juba;Wau
SOM 0.1 east_african en Mogadishu;Hargeisa
BDI 0.2 francophone_african fr Bujumbura;Gitega
MRT 0.1 arab fr Nouakchott
TCD 0.1 francophone_african fr N'Djamena;Moundou
PNG 0.15 caribbean en Port Moresby;Lae
FJI 0.1 caribbean en Suva;Lautoka
BTN 0.1 nepali en Thimphu
MDA 0.15 east_european en Chișinău;Bălți
ALB 0.2 east_european en Tirana;Durrës
MKD 0.15 slavic en Skopje;Bitola
BIH 0.15 slavic en Sarajevo;Banja Luka;Mostar
LTU 0.15 east_european en Vilnius;Kaunas
SVK 0.2 slavic en Bratislava;Košice
SVN 0.15 slavic en Ljubljana;Maribor
CYP 0.1 greek en Nicosia;Limassol
SUR 0.05 caribbean en Paramaribo
GUY 0.05 caribbean en Georgetown
BRB 0.05 caribbean en Bridgetown
BLZ 0.05 caribbean en Belize City;Belmopan
"""


def _parse_countries() -> dict[str, dict[str, object]]:
    table: dict[str, dict[str, object]] = {}
    for line in _COUNTRY_TABLE.strip().splitlines():
        iso3, weight, group, org_language, cities = line.split(" ", 4)
        table[iso3] = {
            "weight": float(weight),
            "names": group,
            "org_language": org_language,
            "cities": cities.split(";"),
        }
    return table


COUNTRIES = _parse_countries()

# Given and family names per region (common names, combined at random: no real person).
_NAMES = {
    "us": (
        "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan "
        "Joseph Jessica Thomas Sarah Christopher Karen Daniel Lisa Matthew Nancy Andrew Emily Joshua Rachel "
        "Kevin Laura Brian Amanda Ryan Megan Eric Rebecca Jonathan Hannah Benjamin Claire",
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
        "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams "
        "Baker Nelson Carter Mitchell Roberts Campbell Parker Evans Edwards Collins Stewart Murphy Cook "
        "Morgan Bell Bailey Cooper Richardson Howard Ward Peterson Gray Hughes Price Bennett Wood Foster",
    ),
    "hispanic": (
        "María José Juan Ana Luis Carmen Carlos Laura Jorge Sofía Miguel Isabel Andrés Lucía Diego Valentina "
        "Alejandro Camila Fernando Daniela Ricardo Paula Javier Gabriela Sergio Natalia Pablo Mariana Eduardo "
        "Adriana Raúl Verónica Manuel Claudia Roberto Patricia",
        "García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Torres Flores Rivera Gómez "
        "Díaz Morales Reyes Cruz Ortiz Gutiérrez Chávez Ramos Vargas Castillo Jiménez Romero Herrera Medina "
        "Aguilar Mendoza Ruiz Álvarez Castro Rojas Navarro Salazar Guerrero Delgado Vega Cárdenas Quispe",
    ),
    "lusophone": (
        "João Maria José Ana Antônio Francisca Carlos Juliana Paulo Fernanda Pedro Mariana Lucas Camila "
        "Rafael Beatriz Gustavo Larissa Marcelo Patrícia Rodrigo Aline Felipe Letícia Bruno Renata Thiago Luana",
        "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
        "Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes "
        "Mendes Cardoso Teixeira Correia Machado",
    ),
    "indian": (
        "Aarav Priya Rahul Ananya Amit Kavya Arjun Divya Vikram Sneha Rohan Pooja Sanjay Lakshmi Suresh "
        "Meera Rajesh Deepa Anil Nandini Karthik Shreya Manoj Anjali Ravi Swati Vivek Neha Harish Aishwarya",
        "Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Rao Mehta Joshi Desai Menon Pillai Chatterjee "
        "Banerjee Mukherjee Das Bose Kulkarni Agarwal Verma Mishra Shah Krishnan Srinivasan Subramanian Bhat",
    ),
    "pakistani": (
        "Muhammad Ayesha Ali Fatima Ahmed Zainab Hassan Sana Usman Maryam Bilal Hira Imran Sadia Faisal "
        "Amna Kamran Saima Tariq Nadia Asad Rabia Hamza Mehwish",
        "Khan Ahmed Ali Hussain Qureshi Malik Siddiqui Chaudhry Sheikh Butt Raza Iqbal Shah Aslam Mirza "
        "Abbasi Baig Rashid Akhtar Javed",
    ),
    "bangladeshi": (
        "Mohammad Fatema Abdul Nusrat Rafiq Sharmin Kamal Taslima Arif Farzana Shahid Nasrin Tanvir Rumana "
        "Habib Shirin Jahid Sultana",
        "Rahman Hossain Islam Ahmed Uddin Chowdhury Akter Begum Alam Haque Sarkar Karim Mia Khatun Roy Das",
    ),
    "nepali": (
        "Ram Sita Hari Gita Krishna Sunita Bishnu Anita Prakash Sarita Dipak Kamala Binod Rita Suman Pema "
        "Tshering Dorji",
        "Shrestha Sharma Thapa Gurung Tamang Rai Adhikari Karki Koirala Poudel Bhandari Magar Lama Joshi",
    ),
    "sri_lankan": (
        "Nimal Kumari Sunil Chamari Ruwan Dilani Kasun Nadeesha Tharindu Ishara Pradeep Sanduni Mahesh Anusha",
        "Perera Fernando Silva Jayasinghe Wickramasinghe Bandara Gunawardena Rajapaksa Dissanayake "
        "Herath Ratnayake Senanayake",
    ),
    "west_african": (
        "Chinedu Ngozi Oluwaseun Adaeze Emeka Funmilayo Kwame Ama Kofi Akosua Ibrahim Aisha Tunde Folake "
        "Yaw Efua Obinna Chioma Segun Yetunde Musa Hauwa Kojo Abena",
        "Okafor Adeyemi Okonkwo Eze Mensah Owusu Boateng Asante Adebayo Bello Nwosu Ogunleye Obi Appiah "
        "Danjuma Abubakar Oladipo Afolabi Darko Osei Agyeman Ibe Umeh Akinola",
    ),
    "francophone_african": (
        "Mamadou Aminata Moussa Fatou Ibrahima Awa Abdoulaye Mariama Ousmane Khadija Jean Marie Pierre "
        "Jeanne Emmanuel Grâce Serge Christelle Yves Aïcha Cheikh Ndeye Patrice Solange",
        "Diallo Traoré Koné Ndiaye Diop Sow Camara Keita Touré Coulibaly Ba Fall Sy Ouédraogo Kaboré "
        "Mbarga Ngono Kouassi Yao Mukendi Kabila Nkurunziza Habimana Uwimana Rakoto",
    ),
    "east_african": (
        "Wanjiru Otieno Achieng Kamau Njeri Mwangi Akinyi Ochieng Grace Joseph Mercy Peter Faith John Esther "
        "David Nakato Mukasa Neema Baraka Zawadi Juma Chipo Tendai Mphatso Chimwemwe",
        "Mwangi Otieno Kamau Ochieng Wanjiku Kiprop Mutua Njoroge Okello Namubiru Ssempala Mushi Mollel "
        "Banda Phiri Mwale Tembo Chikwanha Moyo Kiplagat Odhiambo Wekesa Nyirenda Lungu",
    ),
    "southern_african": (
        "Thabo Nomsa Sipho Lerato Themba Zanele Mandla Palesesa Johan Anke Pieter Thandiwe Kagiso Naledi "
        "Bongani Ayanda Tendai Rudo",
        "Nkosi Dlamini Ndlovu Khumalo Mokoena Mahlangu Botha Van der Merwe Naidoo Pillay Mthembu Zulu "
        "Sithole Moyo Chikwanha Mabena",
    ),
    "ethiopian": (
        "Abebe Almaz Tesfaye Meseret Dawit Selam Yonas Hiwot Bereket Tigist Mulugeta Rahel Getachew Liya "
        "Solomon Bethlehem",
        "Bekele Tadesse Haile Alemu Girma Wolde Tesfaye Mengistu Kebede Ayele Gebre Desta Assefa Teshome",
    ),
    "arab": (
        "Mohamed Fatma Ahmed Nour Omar Mariam Youssef Salma Khaled Hana Mahmoud Rania Tarek Dina Karim "
        "Layla Hassan Yasmin Amr Reem Walid Samira Ziad Lina Sami Heba",
        "Hassan Ibrahim Mahmoud Abdel-Rahman El-Sayed Mansour Khalil Haddad Nasser Saleh Farouk Aziz Hamdan "
        "Othman Kassem Shaheen Darwish Youssef Al-Amin Al-Harbi Al-Qahtani Bouazizi Benali El-Masri Nassar",
    ),
    "persian": (
        "Ali Maryam Reza Zahra Mohammad Fatemeh Hossein Sara Amir Narges Mehdi Leila Hamid Parisa Saeed Nasrin",
        "Hosseini Ahmadi Mohammadi Rezaei Karimi Moradi Jafari Rahimi Hashemi Ghasemi Sadeghi Kazemi Azizi",
    ),
    "turkish": (
        "Mehmet Ayşe Mustafa Fatma Ahmet Zeynep Ali Elif Hüseyin Emine Murat Esra Emre Merve Burak Selin",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk Arslan Doğan Kılıç Aslan Koç Kurt Özdemir Polat",
    ),
    "filipino": (
        "Jose Maria Juan Ana Mark Kristine John Michelle Paolo Angelica Rommel Marites Carlo Jasmine Ramon Liza",
        "Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Tomas Andrada Castillo Flores Villanueva "
        "Ramos Dela Cruz Aquino Navarro Soriano",
    ),
    "vietnamese": (
        "Anh Linh Minh Huong Duc Lan Hung Mai Tuan Thao Quang Trang Nam Hoa Thanh Ngoc Long Phuong",
        "Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly",
    ),
    "chinese": (
        "Wei Fang Jing Li Min Hui Jun Xiu Lei Yan Qiang Ying Hao Lin Tao Mei Yong Xin Bo Ling",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo",
    ),
    "japanese": (
        "Hiroshi Yuko Takashi Keiko Kenji Akiko Satoshi Naoko Daisuke Yumi Kazuki Haruka Takuya Aya Shota Mai",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki "
        "Yamaguchi Matsumoto Inoue",
    ),
    "korean": (
        "Min-jun Seo-yeon Ji-hoon Ji-woo Hyun-woo Soo-jin Jae-won Eun-ji Sung-min Hye-jin Dong-hyun Yu-na",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon",
    ),
    "malay": (
        "Ahmad Siti Muhammad Nur Budi Dewi Agus Sri Hendra Putri Rizal Aisyah Faisal Ratna Hafiz Wulan",
        "Abdullah Rahman Ismail Hassan Wijaya Santoso Pratama Hidayat Saputra Kusuma Nasution Harahap "
        "Lim Tan Ibrahim Osman",
    ),
    "thai": (
        "Somchai Siriporn Prasert Malee Anan Kanya Niran Pimchanok Sompong Wanida Chanthy Sokha Aung Thida "
        "Kyaw Mya Vong Souk",
        "Srisuk Chaiyaporn Wongsawat Rattanakorn Suksawat Thongchai Boonmee Kaewkla Sok Chan Htun Win "
        "Phommavong Sisavath",
    ),
    "central_asian": (
        "Aibek Aigerim Nurlan Dana Timur Madina Rustam Dilnoza Bakhyt Saule Bat-Erdene Oyunchimeg Bobur Zarina",
        "Nurmagambetov Abdullaev Karimov Tashkentov Suleimenov Bekova Yusupov Rakhimov Bold Batbayar Saidov Ismoilov",
    ),
    "germanic": (
        "Thomas Anna Michael Julia Andreas Katharina Stefan Laura Markus Sarah Lukas Lea Jan Sophie Tobias "
        "Hannah Pieter Eva Daan Lotte Maximilian Johanna",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf "
        "De Jong Jansen Bakker Visser Peeters Janssens Huber Gruber Steiner",
    ),
    "french": (
        "Jean Marie Pierre Sophie Nicolas Camille Julien Claire Antoine Élise Thomas Manon Guillaume Chloé "
        "François Isabelle Mathieu Aurélie",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel "
        "Garcia David Bertrand Roux Fournier Girard",
    ),
    "haitian": (
        "Jean Marie Pierre Rose Jacques Nadège Frantz Guerline Wilson Mirlande Ricardo Fabienne",
        "Joseph Pierre Jean-Baptiste Louis Charles Desir Etienne Michel Noël Saint-Fleur Toussaint Jeune",
    ),
    "italian": (
        "Giuseppe Maria Marco Giulia Luca Francesca Andrea Chiara Alessandro Sara Matteo Elena Davide Paola "
        "Stefano Valentina Lorenzo Martina",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca "
        "Mancini Costa Giordano Rizzo Lombardi Moretti",
    ),
    "nordic": (
        "Lars Anna Erik Maria Johan Karin Anders Ingrid Mikkel Sofie Mikko Aino Henrik Kristin Oskar Freja",
        "Andersson Johansson Karlsson Nilsson Hansen Jensen Nielsen Larsen Olsen Pedersen Korhonen Virtanen "
        "Berg Lindqvist Halvorsen",
    ),
    "slavic": (
        "Anna Piotr Katarzyna Tomasz Olena Andriy Natalia Dmitri Irina Sergei Jana Petr Milan Ivana Marko "
        "Ana Nikola Elena Aleksandar Maja",
        "Nowak Kowalski Wiśniewski Kowalczyk Shevchenko Kovalenko Ivanov Petrov Smirnov Novák Svoboda "
        "Horvat Kovačević Petrović Jovanović Nikolić Dimitrov Georgiev Popov",
    ),
    "east_european": (
        "Andrei Elena Mihai Ioana Gábor Katalin László Zsófia Giorgi Nino Armen Ani Arben Jonas Rūta Ion",
        "Popescu Ionescu Popa Nagy Kovács Szabó Tóth Beridze Kapanadze Hakobyan Petrosyan Hoxha Kazlauskas Ceban Rusu",
    ),
    "greek": (
        "Georgios Maria Dimitrios Eleni Konstantinos Aikaterini Ioannis Sofia Nikolaos Anastasia Christos Despina",
        "Papadopoulos Papadakis Georgiou Nikolaou Konstantinidis Christodoulou Ioannou Dimitriou Vlachos "
        "Karagiannis Pappas",
    ),
    "israeli": (
        "Noa David Tamar Yosef Maya Daniel Shira Avi Yael Eitan Michal Amir Rina Omer",
        "Cohen Levi Mizrahi Peretz Biton Friedman Katz Avraham Shapiro Ben-David Goldberg Rosen",
    ),
    "caribbean": (
        "Andre Keisha Marlon Tanisha Devon Shanice Kareem Nicole Damion Alicia Ravi Anita Joel Grace",
        "Brown Campbell Williams Thompson Clarke Francis Gordon Reid Bailey Persad Ramdass Mohammed Singh Baptiste",
    ),
}

NAME_GROUPS = {group: (given.split(), family.split()) for group, (given, family) in _NAMES.items()}

# The home country draws its names from several traditions, as a real US membership does.
HOME_NAME_MIX = [
    ("us", 68),
    ("hispanic", 11),
    ("indian", 7),
    ("chinese", 5),
    ("arab", 2),
    ("korean", 2),
    ("west_african", 2),
    ("vietnamese", 1),
    ("filipino", 1),
    ("persian", 1),
]

# Where people live in countries with several time zones (zone, weight); others use the main zone.
MAIN_TIME_ZONES = {
    "USA": [
        ("America/New_York", 47),
        ("America/Chicago", 29),
        ("America/Denver", 7),
        ("America/Phoenix", 2),
        ("America/Los_Angeles", 14),
        ("Pacific/Honolulu", 1),
    ],
    "CAN": [
        ("America/Toronto", 55),
        ("America/Vancouver", 15),
        ("America/Edmonton", 14),
        ("America/Winnipeg", 6),
        ("America/Halifax", 10),
    ],
    "BRA": [("America/Sao_Paulo", 85), ("America/Manaus", 5), ("America/Fortaleza", 10)],
    "MEX": [("America/Mexico_City", 85), ("America/Tijuana", 8), ("America/Merida", 7)],
    "AUS": [
        ("Australia/Sydney", 40),
        ("Australia/Melbourne", 30),
        ("Australia/Brisbane", 15),
        ("Australia/Perth", 10),
        ("Australia/Adelaide", 5),
    ],
    "RUS": [("Europe/Moscow", 80), ("Asia/Novosibirsk", 10), ("Asia/Yekaterinburg", 10)],
    "IDN": [("Asia/Jakarta", 80), ("Asia/Makassar", 15), ("Asia/Jayapura", 5)],
}

# Organization name patterns per language: {city}, {country}.
ORG_PATTERNS: dict[str, dict[str, list[str]]] = {
    "en": {
        "hospital": [
            "{city} General Hospital",
            "{city} Cancer Centre",
            "{city} Regional Cancer Institute",
            "St. Mary's Hospital {city}",
            "{city} Teaching Hospital",
            "{city} Oncology Hospital",
            "National Cancer Hospital, {city}",
            "{city} University Hospital",
            "{city} Children's Hospital",
        ],
        "university": [
            "University of {city}",
            "{city} Medical College",
            "{city} University of Health Sciences",
            "{city} Institute of Medical Sciences",
        ],
        "national_society": [
            "{country} Oncology Society",
            "{country} Society of Clinical Oncology",
            "{country} Association of Radiation Oncologists",
            "{country} Oncology Nursing Society",
            "{country} Palliative Care Association",
        ],
        "ministry": ["Ministry of Health of {country}", "{country} National Cancer Control Programme"],
        "ngo": [
            "{country} Cancer Foundation",
            "Hope Against Cancer {city}",
            "{city} Cancer Survivors Network",
            "{country} Childhood Cancer Trust",
            "Cancer Care Alliance {city}",
        ],
        "partner_society": [
            "{country} Society of Medical Oncology",
            "{country} College of Oncology",
            "{country} Society of Pathologists",
        ],
    },
    "es": {
        "hospital": [
            "Hospital General de {city}",
            "Instituto de Cancerología de {city}",
            "Hospital Universitario de {city}",
            "Hospital Oncológico de {city}",
            "Clínica San Rafael, {city}",
            "Hospital Infantil de {city}",
            "Centro Oncológico Regional de {city}",
        ],
        "university": ["Universidad de {city}", "Universidad Nacional de {city}", "Facultad de Medicina de {city}"],
        "national_society": [
            "Sociedad de Oncología de {country}",
            "Sociedad de Radioterapia de {country}",
            "Asociación de Cuidados Paliativos de {country}",
        ],
        "ministry": ["Ministerio de Salud de {country}", "Programa Nacional de Control del Cáncer de {country}"],
        "ngo": [
            "Fundación contra el Cáncer de {city}",
            "Liga contra el Cáncer de {city}",
            "Fundación Esperanza {city}",
        ],
        "partner_society": ["Sociedad de Oncología Médica de {country}", "Colegio de Oncólogos de {country}"],
    },
    "pt": {
        "hospital": [
            "Hospital de Clínicas de {city}",
            "Instituto do Câncer de {city}",
            "Hospital Universitário de {city}",
            "Hospital de Amor de {city}",
            "Santa Casa de {city}",
            "Hospital Oncológico de {city}",
        ],
        "university": ["Universidade Federal de {city}", "Universidade de {city}", "Faculdade de Medicina de {city}"],
        "national_society": ["Sociedade de Oncologia Clínica de {country}", "Sociedade de Radioterapia de {country}"],
        "ministry": ["Ministério da Saúde de {country}", "Programa Nacional de Controlo do Cancro de {country}"],
        "ngo": ["Fundação contra o Câncer de {city}", "Associação de Apoio ao Doente Oncológico de {city}"],
        "partner_society": ["Sociedade de Oncologia Médica de {country}"],
    },
    "fr": {
        "hospital": [
            "Centre Hospitalier Universitaire de {city}",
            "Hôpital Général de {city}",
            "Centre de Lutte contre le Cancer de {city}",
            "Hôpital Régional de {city}",
            "Institut de Cancérologie de {city}",
        ],
        "university": ["Université de {city}", "Faculté de Médecine de {city}"],
        "national_society": [
            "Société de Cancérologie de {country}",
            "Société de Radiothérapie de {country}",
            "Association de Soins Palliatifs de {country}",
        ],
        "ministry": ["Ministère de la Santé de {country}", "Programme National de Lutte contre le Cancer de {country}"],
        "ngo": [
            "Fondation contre le Cancer de {city}",
            "Ligue contre le Cancer de {city}",
            "Association Espoir {city}",
        ],
        "partner_society": ["Société d'Oncologie Médicale de {country}"],
    },
    "de": {
        "hospital": [
            "Universitätsklinikum {city}",
            "Klinikum {city}",
            "Tumorzentrum {city}",
            "Krankenhaus {city}-Mitte",
        ],
        "university": ["Universität {city}", "Medizinische Fakultät {city}"],
        "national_society": ["{country} Society of Haematology and Oncology", "{country} Cancer Society"],
        "ministry": ["Federal Ministry of Health, {country}"],
        "ngo": ["Krebshilfe {city}", "{country} Cancer League"],
        "partner_society": ["{country} Society of Medical Oncology"],
    },
    "it": {
        "hospital": [
            "Ospedale Maggiore di {city}",
            "Istituto Tumori di {city}",
            "Policlinico di {city}",
            "Azienda Ospedaliera di {city}",
        ],
        "university": ["Università degli Studi di {city}"],
        "national_society": [
            "Associazione Italiana di Oncologia, sezione di {city}",
            "{country} Society of Radiation Oncology",
        ],
        "ministry": ["Ministero della Salute, {country}"],
        "ngo": ["Lega contro i Tumori di {city}", "Fondazione per la Ricerca sul Cancro, {city}"],
        "partner_society": ["{country} Society of Medical Oncology"],
    },
}

ORG_KIND_WEIGHTS = [
    ("hospital", 55),
    ("university", 20),
    ("national_society", 8),
    ("ngo", 9),
    ("ministry", 3),
    ("partner_society", 5),
]
