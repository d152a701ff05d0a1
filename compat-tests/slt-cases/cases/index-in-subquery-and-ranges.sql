CREATE TABLE t(a INTEGER, b TEXT, c REAL, d, e TEXT COLLATE NOCASE)

CREATE INDEX ta ON t(a)

CREATE INDEX tbc ON t(b, c)

CREATE INDEX td ON t(d)

CREATE INDEX te ON t(e)

CREATE TABLE u(id INTEGER PRIMARY KEY, x INT, y TEXT, z, w TEXT COLLATE NOCASE)

INSERT INTO t VALUES (x'01','x',x'01','4','X'),(NULL,x'01','4',4,'x'),(NULL,x'01','x',x'01',-5),('X',1,'x',NULL,-4),('X',NULL,'x',x'01',2.0),('x','y','y',-5,-3),(x'01','x','x',2.0,2.0),('X',NULL,2.0,4,'x'),(NULL,'X',1,'x','y'),(x'01',x'01',2.0,'5','x'),('x',x'01',2.0,-5,'X'),('X',x'01','3','x',2),('x','X','x','-5','0'),('0','0',NULL,'X',-5),('X',0,'y','y',x'01'),(NULL,NULL,2.0,NULL,4),(-4,'y',x'01',2,NULL),(-1,'x',x'01','y','x'),('y',x'01',2.0,'x','x'),('x','x',x'01',0,-1),('X',2.0,x'01',x'01',NULL),(NULL,'y',NULL,2.0,NULL),('-2',-5,'y','x','X'),(x'01','-5','y','3',1),('1','x',2.0,'y','x'),(-4,2.0,'y','y',NULL),(2.0,NULL,2.0,'y',x'01'),(x'01',2,'X','5','X'),(2.0,'X','X','x',1),(2.0,NULL,3,'-4',x'01'),('X',x'01',2.0,'y',2.0),('X',NULL,'x','X','x'),(4,2,'X',2.0,2.0),('4','x','-2','y','y'),('x','x','X',2.0,'3'),(NULL,'y','y','x',-4),(x'01','-2','-2',-3,'-5'),(5,2.0,'y','y',NULL),(2.0,'y','-2',NULL,2.0),('x','y',-1,'1','y'),(2.0,-2,x'01','y',NULL),('X',2.0,4,x'01',5),(NULL,-4,x'01',NULL,2.0),('X','y',2.0,3,5),(NULL,2.0,x'01',NULL,2.0),(2.0,'y',x'01','X',NULL),(NULL,2.0,NULL,NULL,4),(x'01',NULL,x'01',-3,2.0),('x','0',x'01',2.0,'X'),(2.0,'3','x','X','y'),('x','x','x',NULL,'X'),(NULL,'X','-4','y','y'),('y',2,'x','X','y'),('y','3','y',x'01',0),(x'01','X','X',-2,'y'),('x','y','y','X','X'),('x','x','y',2.0,'x'),(2.0,'-3',x'01','x','-5'),(NULL,5,'X','y',-4),(NULL,'5',2.0,x'01',x'01'),('y','5',2,2.0,NULL),(x'01',NULL,NULL,2.0,'-2'),('1',2.0,'X',x'01','X'),('-3',NULL,NULL,'x','x'),(x'01','x','X','X',x'01'),(2.0,0,2.0,'-2','X'),('x','y',2.0,2.0,'0'),('3','X',NULL,'4','-2'),('y',-1,2,'X',2.0),(-2,NULL,x'01','y',-1),(x'01','y','5',2.0,5),(NULL,'x',-1,'x','X'),('X',0,'x','y',x'01'),(x'01',1,-3,'5',2.0),(-5,NULL,2.0,'y','3'),('-2','y',NULL,'y',NULL),('x',x'01',2.0,'y','-4'),('X','y','3','x','x'),('x',2.0,0,x'01','2'),(-2,'-1','4','X','x'),('0',-3,2.0,'5',2.0),(NULL,2.0,'-5',3,'1'),('3','y',NULL,2.0,2),(2.0,2.0,x'01',1,'y'),(2.0,'y',2.0,'y',-1),(x'01',2.0,-5,'X','x'),('y','1',2.0,4,'3'),(x'01','x','y',x'01',2.0),('x',NULL,'X','2','x'),('x',x'01','x','x',-2),('X','y',2,'X','X'),('X',-1,'x','x',-1),(x'01',NULL,'X',2.0,'-4'),('x',NULL,NULL,2.0,NULL),('y',x'01','X','5',4),('x','X',x'01',x'01','x'),(x'01','0',x'01',x'01',-1),('x',NULL,NULL,'X',4),('3','x',x'01',2.0,'x'),(x'01','-3',NULL,2.0,3),('X',2,'x',-1,2.0),('x','y',NULL,NULL,'4'),('x',NULL,'y','-3',2.0),(x'01',x'01','5',2.0,NULL),('X','-5',2.0,'x','y'),('y',-3,2.0,2.0,NULL),('x','x','3','X',x'01'),('X',2.0,'X',2.0,'y'),('X','x',NULL,NULL,-1),('y','y','X',-4,NULL),('y','X',2.0,'2','x'),('y',x'01','X',-5,2.0),(2.0,'X','X',NULL,'y'),('X',x'01','y','x',NULL),(2.0,4,x'01',2.0,'X'),('y','-5','X','x',NULL),(NULL,x'01',5,'y',-1),('x','5','-3',x'01','y'),('y',x'01','x','0',3),('X',x'01',2.0,'y',2.0)

INSERT INTO u VALUES (NULL,'X','y','x',2.0),(NULL,'X','x','X','5'),(NULL,'2',2.0,2.0,'5'),(NULL,-5,'X',0,NULL),(NULL,'2','X','X',2.0),(NULL,2.0,'X','2','X'),(NULL,2,NULL,'4',2.0),(NULL,'x','x','X','-5'),(NULL,'X',NULL,x'01',2.0),(NULL,2.0,2.0,'x','X'),(NULL,'X',NULL,'-5',3),(NULL,NULL,3,NULL,'y'),(NULL,'X',2.0,-1,2.0),(NULL,NULL,'4',2.0,'X'),(NULL,x'01','X','y','X'),(NULL,'-2','-5','x',-3),(NULL,'y',2.0,2.0,2.0),(NULL,'x','y',-4,2.0),(NULL,x'01','X',2.0,'y'),(NULL,'-5',2.0,'x','y'),(NULL,2.0,3,2.0,2.0),(NULL,'x',NULL,x'01',NULL),(NULL,'y',x'01','y',2.0),(NULL,x'01','-2',5,'X'),(NULL,'-4','X',x'01',NULL),(NULL,x'01','x',x'01',2),(NULL,2,'0',NULL,'X'),(NULL,'1',NULL,x'01',2),(NULL,'y',2.0,'y','X'),(NULL,'x','-3',x'01','X'),(NULL,'y','y',NULL,'y'),(NULL,'x','X',2.0,'2'),(NULL,3,2.0,-2,'X'),(NULL,x'01',2.0,'x',2),(NULL,'y',x'01','X','x'),(NULL,'y','X','X',0),(NULL,3,2,'y','y'),(NULL,'5','y','y',NULL),(NULL,2.0,1,x'01','x'),(NULL,'x','0',3,'-5')

-- query ITTTRT rowsort
SELECT rowid, * FROM t WHERE rowid IN (SELECT rowid FROM u WHERE x > 0) AND c IS NULL

-- query IITRTT rowsort
SELECT rowid, * FROM t WHERE a IN (SELECT z FROM u WHERE x > 0)

-- query IITTTT nosort
SELECT rowid, * FROM t WHERE rowid NOT IN (SELECT id FROM u) ORDER BY rowid

-- query IITTTT nosort
SELECT rowid, * FROM t WHERE a IN (SELECT id FROM u WHERE z IS NOT NULL) AND c > 0 ORDER BY a DESC, rowid

-- query TTTTTT rowsort
SELECT rowid, * FROM t WHERE d NOT IN (SELECT z FROM u WHERE x > 0) AND c > 0

-- query ITTTIT nosort
SELECT rowid, * FROM t WHERE a IN (SELECT y FROM u WHERE y = 'x') AND c > 0 ORDER BY a DESC, rowid

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE a NOT IN (SELECT id FROM u WHERE z IS NOT NULL) AND c > 0 ORDER BY a DESC, rowid

-- query I rowsort
SELECT count(*) FROM t AS t1, u WHERE t1.a IN (SELECT id FROM u AS u2 WHERE u2.z IS NOT NULL) AND u.id = t1.a

-- query IITTTT rowsort
SELECT rowid, * FROM t WHERE rowid IN (SELECT id FROM u) AND c IS NULL

-- query I rowsort
SELECT count(*) FROM t AS t1, u WHERE t1.rowid IN (SELECT id FROM u AS u2) AND u.id = t1.a

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE a NOT IN (SELECT rowid FROM u WHERE y = 'x') AND c > 0 ORDER BY rowid

-- query ITTTRT nosort
SELECT rowid, * FROM t WHERE e NOT IN (SELECT x FROM u WHERE y = 'x') AND b = 'x' ORDER BY a DESC, rowid

-- query TTTTTT rowsort
SELECT rowid, * FROM t WHERE a IN (SELECT w FROM u WHERE y = 'x') AND b = 'x'

-- query TTTTTT nosort
SELECT rowid, * FROM t WHERE a IN (SELECT rowid FROM u WHERE y = 'x') AND b = 'x' ORDER BY rowid

-- query TTTTTT nosort
SELECT rowid, * FROM t WHERE rowid IN (SELECT y FROM u) AND c IS NULL ORDER BY a DESC, rowid

-- query TTTTTT rowsort
SELECT rowid, * FROM t WHERE rowid IN (SELECT z FROM u WHERE z IS NOT NULL) AND b = 'x'

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE e IN (SELECT z FROM u WHERE y = 'x') AND b = 'x' ORDER BY rowid

-- query I rowsort
SELECT count(*) FROM t AS t1, u WHERE t1.e IN (SELECT z FROM u AS u2 WHERE u2.y = 'x') AND u.id = t1.a

-- query TTTTTT nosort
SELECT rowid, * FROM t WHERE rowid IN (SELECT x FROM u WHERE z IS NOT NULL) AND c IS NULL ORDER BY a DESC, rowid

-- query TTTTTT rowsort
SELECT rowid, * FROM t WHERE b IN (SELECT rowid FROM u) AND b = 'x'

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE b IN (SELECT id FROM u WHERE y = 'x') ORDER BY rowid

-- query IITTIT nosort
SELECT rowid, * FROM t WHERE a NOT IN (SELECT x FROM u WHERE x > 0) AND c > 0 ORDER BY rowid

-- query IITRTT rowsort
SELECT rowid, * FROM t WHERE d IN (SELECT y FROM u) AND b = 'x'

-- query I rowsort
SELECT count(*) FROM t AS t1, u WHERE t1.d IN (SELECT y FROM u AS u2) AND u.id = t1.a

-- query TTTTTT nosort
SELECT rowid, * FROM t WHERE d NOT IN (SELECT x FROM u) AND c > 0 ORDER BY rowid

-- query IITTRT rowsort
SELECT rowid, * FROM t WHERE e IN (SELECT rowid FROM u WHERE x > 0) AND c IS NULL

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE a IN (SELECT x FROM u WHERE y = 'x') AND c > 0 ORDER BY rowid

-- query I rowsort
SELECT count(*) FROM t AS t1, u WHERE t1.a IN (SELECT x FROM u AS u2 WHERE u2.y = 'x') AND u.id = t1.a

-- query ITTRTT rowsort
SELECT rowid, * FROM t WHERE b IN (SELECT y FROM u WHERE x > 0) AND b = 'x'

-- query I rowsort
SELECT count(*) FROM t AS t1, u WHERE t1.b IN (SELECT y FROM u AS u2 WHERE u2.x > 0) AND u.id = t1.a

-- query TTTTTT nosort
SELECT rowid, * FROM t WHERE rowid NOT IN (SELECT x FROM u WHERE z IS NOT NULL) AND b = 'x' ORDER BY a DESC, rowid

-- query I rowsort
SELECT count(*) FROM t AS t1, u WHERE t1.rowid IN (SELECT x FROM u AS u2 WHERE u2.z IS NOT NULL) AND u.id = t1.a

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE b IN (SELECT id FROM u) AND c IS NULL ORDER BY rowid

-- query ITTTRT nosort
SELECT rowid, * FROM t WHERE a IN (SELECT y FROM u) AND c IS NULL ORDER BY a DESC, rowid

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE e IN (SELECT rowid FROM u WHERE y = 'x') ORDER BY rowid

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE a IN (SELECT x FROM u WHERE x > 0) ORDER BY a DESC, rowid

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE rowid IN (SELECT x FROM u WHERE z IS NOT NULL) ORDER BY rowid

-- query IITTTT nosort
SELECT rowid, * FROM t WHERE a IN (SELECT y FROM u WHERE x > 0) AND c IS NULL ORDER BY rowid

-- query IITTTT nosort
SELECT rowid, * FROM t WHERE e NOT IN (SELECT y FROM u WHERE y = 'x') AND c IS NULL ORDER BY rowid

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE rowid IN (SELECT w FROM u) AND c > 0 ORDER BY a DESC, rowid

-- query TTTTTT nosort
SELECT rowid, * FROM t WHERE d NOT IN (SELECT y FROM u WHERE x > 0) AND c IS NULL ORDER BY a DESC, rowid

-- query ITTTRT nosort
SELECT rowid, * FROM t WHERE e IN (SELECT id FROM u WHERE y = 'x') AND b = 'x' ORDER BY a DESC, rowid

-- query TTTTTT rowsort
SELECT rowid, * FROM t WHERE e NOT IN (SELECT z FROM u) AND c IS NULL

-- query ITTTRT rowsort
SELECT rowid, * FROM t WHERE e IN (SELECT id FROM u) AND b = 'x'

-- query TTTTTT nosort
SELECT rowid, * FROM t WHERE b NOT IN (SELECT w FROM u) AND c > 0 ORDER BY rowid

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE e IN (SELECT x FROM u WHERE z IS NOT NULL) AND c > 0 ORDER BY a DESC, rowid

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE rowid IN (SELECT y FROM u) AND b = 'x' ORDER BY a DESC, rowid

-- query IITTTT nosort
SELECT rowid, * FROM t WHERE d IN (SELECT w FROM u WHERE z IS NOT NULL) AND c IS NULL ORDER BY rowid

-- query I rowsort
SELECT count(*) FROM t AS t1, u WHERE t1.d IN (SELECT w FROM u AS u2 WHERE u2.z IS NOT NULL) AND u.id = t1.a

-- query ITTRTT rowsort
SELECT rowid, * FROM t WHERE b IN (SELECT y FROM u WHERE z IS NOT NULL) AND b = 'x'

-- query ITTTTT nosort
SELECT rowid, * FROM t WHERE rowid IN (SELECT y FROM u WHERE x > 0) AND b = 'x' ORDER BY rowid

-- query ITTTRT rowsort
SELECT rowid, * FROM t WHERE d IN (SELECT id FROM u WHERE x > 0)

CREATE TABLE r(a INTEGER, b TEXT, c REAL, d)

CREATE INDEX ra ON r(a)

CREATE INDEX rbc ON r(b, c)

CREATE INDEX rad ON r(d, a DESC)

CREATE INDEX rcn ON r(c COLLATE NOCASE, a)

INSERT INTO r VALUES (10,'X',NULL,2),(10,'z','0',1),(8,'x','0',1),(-16,'z','0',1),(-15,'z','2',2),(NULL,NULL,'txt','k'),(6,'z',NULL,1),(-4,'y',6.737728216491834,1),(1,'y',3,NULL),(4,NULL,NULL,3),(NULL,'X',NULL,3),(-3,'y','0',3),(NULL,'y',-1,1),(9,'x','3',NULL),(-3,'x',NULL,1),(NULL,'y',5.035994809479016,2),(NULL,'x',5.022017544313408,2),(NULL,'z',6.168838878957152,2),(12,'x',NULL,NULL),(-12,'z','txt',NULL),(15,NULL,'txt',1),(17,'y',5,NULL),(NULL,NULL,-4,3),(-14,'x','txt','k'),(NULL,'x','6',1),(-16,'y',0,NULL),(-1,'x',6.593931588317239,1),(NULL,'z',NULL,'k'),(1,'x',NULL,2),(3,'x',1,'k'),(NULL,'X',2,3),(NULL,'x','6',3),(NULL,'X',NULL,2),(11,'y','3',1),(-4,NULL,'txt','k'),(-2,'X',NULL,'k'),(4,'z','txt',3),(11,'z',1.6982672206148997,NULL),(NULL,'y',-1,NULL),(15,NULL,-5,1),(NULL,'x','0',NULL),(3,'X',NULL,1),(5,'y','txt','k'),(-19,NULL,NULL,3),(15,'X',7.538705548033001,NULL),(NULL,'z',-4,NULL),(NULL,'X',-2,3),(1,'X',NULL,'k'),(NULL,'y','7',1),(NULL,'x',1.2322061123268224,3),(0,'X',7.652484466310915,1),(19,NULL,'4','k'),(-12,'y',NULL,'k'),(20,'x','9','k'),(-3,'y','5','k'),(NULL,'x',3.997603050570447,'k'),(3,'x',NULL,'k'),(NULL,'X','txt',NULL),(NULL,'z',-2,1),(NULL,'x','txt',1),(10,'z',2,1),(17,'X',6.623867654476763,2),(5,'x','txt',2),(NULL,'X',5.771626704503699,3),(NULL,'x',4.530294918780536,1),(NULL,NULL,3.796624281418225,'k'),(NULL,'x',3.799376700845618,'k'),(NULL,'x',NULL,1),(NULL,'X','txt','k'),(NULL,'X',NULL,3),(4,'z','txt','k'),(15,'X','txt',1),(-19,NULL,6.777595402478848,1),(-1,'y',NULL,NULL),(-2,'y',NULL,NULL),(NULL,'X','8',1),(-9,'x',0.1950485751610953,3),(16,'y',8.239581007636879,3),(NULL,'x',9.316170783510357,2),(-14,'y','0',2),(NULL,'y',4,NULL),(NULL,'X',NULL,NULL),(NULL,'z',NULL,3),(-6,'y','txt',1),(NULL,NULL,'2',1),(9,'y','2',1),(13,'z',-3,1),(NULL,'y','7',NULL),(7,'x',-3,'k'),(NULL,'X',-3,NULL),(-6,'z','txt','k'),(NULL,'x',7.932385199454783,'k'),(NULL,'X','txt',1),(15,'X','6',NULL),(NULL,'x',5,NULL),(NULL,NULL,'4',1),(-15,'X',NULL,1),(NULL,'y',NULL,2),(3,'y',0,3),(NULL,'z',3.7165318391889746,NULL),(-14,'y','txt',3),(NULL,NULL,-4,3),(11,'z','2',3),(-10,'y',NULL,NULL),(-8,'z',1,NULL),(NULL,NULL,NULL,2),(9,'y',NULL,NULL),(1,'x',-1,1),(NULL,'x',NULL,2),(NULL,'y','6',NULL),(NULL,'X',0,1),(11,'z',1.8594564302810712,3),(NULL,NULL,2,2),(-20,'x',NULL,2),(NULL,'z','txt',3),(17,'X','6',1),(15,'z',NULL,3),(NULL,'x',NULL,1),(NULL,'X','txt',1),(18,'z','5',3),(NULL,'z',NULL,1),(18,'z','txt',3),(NULL,NULL,NULL,'k'),(NULL,'x',NULL,NULL),(7,'z','txt',3),(NULL,'y',NULL,2),(20,'z',3,2),(NULL,'x','txt',1),(NULL,'X',-5,3),(4,NULL,'txt','k'),(NULL,'x','txt',NULL),(1,NULL,'txt','k'),(NULL,NULL,'0',2),(NULL,'x','7','k'),(NULL,'y',-4,2),(17,'x','5','k'),(NULL,'z',0,'k'),(6,NULL,'txt',2),(NULL,NULL,-2,'k'),(NULL,'y',6.952721743291884,3),(NULL,'x','txt',1),(NULL,'y',2.895220883190728,3),(-12,'x',3,'k'),(19,NULL,'9',NULL),(9,'x','9',NULL),(NULL,'X','txt',3),(16,'y','4',2),(NULL,'z','txt',NULL),(NULL,'z',5,1),(19,NULL,3,2),(17,'X','3',3),(11,NULL,'txt',2),(8,'X','9',2),(NULL,'x','txt','k'),(NULL,'z','txt',1),(NULL,'X','txt',2),(NULL,'z',1,NULL),(-20,NULL,'3',NULL),(-18,'X','4',NULL),(NULL,'z',NULL,2),(12,NULL,'txt',3),(NULL,'X','6',2),(NULL,NULL,4.394114673930117,3),(12,'x','9','k'),(NULL,'y','4',2),(NULL,'X',NULL,'k'),(NULL,'x',NULL,3),(3,NULL,'9',3),(NULL,'X','8',1),(0,NULL,'0',3),(14,'X',NULL,2),(-1,NULL,'3',2),(15,'z',4.011286782927122,NULL),(NULL,'X',NULL,2),(NULL,NULL,'0',2),(-8,'X','txt',1),(8,'z','txt',NULL),(NULL,'X','txt',NULL),(-15,'z',4.401922168361551,3),(3,'z',NULL,1),(15,'X','2',1),(NULL,'X','6',NULL),(NULL,'x',9.822115489394259,'k'),(0,'X',8.484137820647389,1),(NULL,'x',1.8688458854843337,2),(1,NULL,NULL,3),(NULL,'z',-1,'k'),(10,'x',5.83748494791577,2),(NULL,NULL,'4',3),(NULL,'y',NULL,1),(1,'y','9',1),(NULL,'z','txt',1),(NULL,'X','txt',1),(-20,NULL,9.30067510434101,1),(-1,'z',NULL,'k'),(NULL,NULL,'4','k'),(NULL,'z',NULL,'k'),(-1,'X',4.467887593261563,NULL),(NULL,'z','txt','k'),(18,'X','txt',1),(NULL,'X',NULL,NULL),(NULL,'z',3,1),(2,'x',-5,2),(3,'y',NULL,1),(-6,'x',9.565568587031692,'k'),(NULL,'X','8',NULL),(0,NULL,3,NULL),(-4,'y',NULL,2),(19,'z',-3,'k'),(-16,'z',NULL,1),(-7,'z','txt',2),(NULL,'x',5.817198682065653,'k'),(NULL,'x','1',2),(3,'y',8.49745568934411,3),(NULL,'y',9.93005398121246,'k'),(NULL,'y',NULL,1),(NULL,'X',NULL,NULL),(NULL,'z',9.764696126405257,1),(-7,'y',NULL,'k'),(NULL,'y','txt',3),(NULL,'z',4.753001917514608,NULL),(NULL,'y',5,2),(NULL,'x','txt',1),(-5,'x',1,2),(12,'z','2',NULL),(9,'x',-1,'k'),(NULL,'z','4','k'),(-8,'x','txt',NULL),(NULL,'z','txt',NULL),(NULL,NULL,'5',NULL),(NULL,'X','txt',NULL),(0,'X',0,2),(NULL,'z','9',3),(3,'x','txt','k'),(NULL,'y','txt',NULL),(-12,'x','9','k'),(NULL,'y','3',NULL),(-11,'y',NULL,1),(15,NULL,4,1),(NULL,NULL,NULL,'k'),(-16,'z','txt',2),(NULL,NULL,'txt',2),(NULL,'z','txt',3),(-18,'X',2.327807511067773,NULL),(NULL,NULL,'2','k'),(-5,'y',7.7537120082132205,3),(NULL,NULL,'7',3),(NULL,NULL,'txt',3),(NULL,'z',-4,NULL),(NULL,'X',-4,'k'),(-11,'z','2',3),(NULL,'x',1.0031010681889319,NULL),(-1,'z',6.040761851428583,'k'),(NULL,'y','txt',2),(12,'X','1','k'),(14,'y',NULL,2),(-5,'x',3,2),(-7,'X',NULL,'k'),(-10,'z',0.7230300391013755,2),(-2,'z',0,2),(NULL,'X','2',1),(NULL,NULL,6.140694387454469,'k'),(NULL,NULL,'7','k'),(-15,'z','8',NULL),(NULL,'x','txt',NULL),(9,'X','6',3),(NULL,'X',-5,NULL),(NULL,'z',NULL,NULL),(-17,'z','txt',NULL),(NULL,'x','8',2),(3,'y','txt',1),(6,'x',1,NULL),(NULL,NULL,2,3),(NULL,'y',NULL,2),(NULL,'y',NULL,'k'),(-14,NULL,NULL,NULL),(NULL,'x',-5,1),(NULL,'y',0.32485419552101935,1),(-8,NULL,'txt',1),(-8,'X',NULL,NULL),(NULL,NULL,'4',1),(NULL,'y','6',2),(-9,'X',5.97936552673326,NULL),(-1,'x',NULL,'k'),(14,'z','txt',3),(-12,'z',0.9329128287185939,2),(NULL,'y','txt','k'),(NULL,NULL,'txt','k'),(NULL,'z','3',2),(12,'y',3.3273626742394367,2),(NULL,'X',NULL,NULL),(NULL,'X',1.3097371712734762,3),(-19,'y',NULL,1),(18,'y',2.6685979380057487,'k'),(NULL,'x',NULL,'k'),(-2,'y',0.5161280728733086,'k'),(6,'x',0.8872237654984205,2),(NULL,'x',NULL,2),(17,'X',9.17250978112141,2),(-13,'z','2','k')

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE d = 3 AND a >= 1 ORDER BY d DESC, a LIMIT 3

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b > 'y' AND b <= 'a' ORDER BY b LIMIT 3

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'y' AND c BETWEEN 4.70 AND 7.15 ORDER BY c, rowid DESC LIMIT 3

-- query IITRT nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'x' AND c < '5' ORDER BY b DESC, c, rowid DESC LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE d = 'k' AND a <= -21 ORDER BY a LIMIT 3

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid BETWEEN 13 AND -6 ORDER BY rowid DESC LIMIT 3

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid BETWEEN -11 AND 4 ORDER BY rowid DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE d BETWEEN 2 AND 2 ORDER BY d, rowid DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid > -4 ORDER BY rowid LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'a' AND c >= -6 ORDER BY c ASC, rowid DESC LIMIT 3

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE b < 'x' ORDER BY b DESC LIMIT 3

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE d = 1 AND a < 1 ORDER BY d DESC, a LIMIT 5 OFFSET 2

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE a BETWEEN -19 AND 10 ORDER BY a LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE a >= 25 ORDER BY a

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE c <= 2.26 ORDER BY c DESC, rowid DESC LIMIT 5 OFFSET 2

-- query IITRT nosort
SELECT rowid, a, b, c, d FROM r WHERE c >= 4 ORDER BY c ASC

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b > 'x' AND b <= 'x' ORDER BY b ASC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE d = 2 AND a > 6 ORDER BY d DESC, a DESC, rowid DESC

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b < 'X' ORDER BY b LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE d BETWEEN 'k' AND 2 ORDER BY d DESC LIMIT 5 OFFSET 2

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE b > 'a' AND b <= 'y' ORDER BY b ASC

-- query IITRT nosort
SELECT rowid, a, b, c, d FROM r WHERE b > 'y' ORDER BY b, rowid DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'z' AND c BETWEEN '5' AND '5' ORDER BY c ASC

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b BETWEEN 'z' AND 'X' ORDER BY b ASC LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid < 1 ORDER BY rowid DESC, rowid DESC LIMIT 3

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE b < 'x' ORDER BY b

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE a BETWEEN 2 AND 8 ORDER BY a DESC, rowid DESC

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE b >= 'x' ORDER BY b DESC LIMIT 3

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE d BETWEEN 3 AND 1 ORDER BY d

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE c > 'txt' ORDER BY c LIMIT 3

-- query IITRT nosort
SELECT rowid, a, b, c, d FROM r WHERE b BETWEEN 'a' AND 'z' ORDER BY b DESC, rowid DESC

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE a > -8 ORDER BY a ASC, rowid DESC LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b BETWEEN 'y' AND 'x' ORDER BY b ASC

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE d < 1 ORDER BY d ASC, rowid DESC

-- query ITTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE d <= 'k' ORDER BY d DESC LIMIT 5 OFFSET 2

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE b <= 'X' ORDER BY b ASC, rowid DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE a < 17 ORDER BY a LIMIT 5 OFFSET 2

-- query IITRT nosort
SELECT rowid, a, b, c, d FROM r WHERE d = 'k' AND a >= -8 ORDER BY a ASC

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'a' AND c >= '5' ORDER BY c

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE c > 'txt' AND c <= 4.92 ORDER BY c DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE a >= -21 ORDER BY a ASC

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE d <= 'k' ORDER BY d ASC

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'a' AND c >= -3 ORDER BY c DESC, rowid DESC LIMIT 5 OFFSET 2

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE d > 2 ORDER BY d ASC, rowid DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE a > -20 AND a <= 15 ORDER BY a ASC

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE a > -17 AND a <= -9 ORDER BY a ASC, rowid DESC

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE d BETWEEN 'k' AND 1 ORDER BY d DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid > 11 AND rowid <= 22 ORDER BY rowid, rowid DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid > -1 AND rowid <= 15 ORDER BY rowid ASC, rowid DESC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE a > -25 AND a <= 20 ORDER BY a DESC LIMIT 3

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'y' AND c >= 6.69 ORDER BY c DESC LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b > 'z' ORDER BY b DESC LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid > 12 AND rowid <= -7 ORDER BY rowid LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE c < -5 ORDER BY c DESC LIMIT 3

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE b >= 'y' ORDER BY b ASC, rowid DESC LIMIT 5 OFFSET 2

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE c > 5 AND c <= 'txt' ORDER BY c DESC, rowid DESC LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid <= -15 ORDER BY rowid DESC

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'X' AND c BETWEEN 6 AND '5' ORDER BY c DESC

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE d >= 1 ORDER BY d ASC LIMIT 3

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE d < 3 ORDER BY d LIMIT 5 OFFSET 2

-- query IITTT nosort
SELECT rowid, a, b, c, d FROM r WHERE d = 'k' AND a > 0 ORDER BY a LIMIT 3

-- query IITRT nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'x' AND c < '5' ORDER BY c LIMIT 5 OFFSET 2

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE a < 23 ORDER BY a DESC, rowid DESC

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE d < 'k' ORDER BY d ASC LIMIT 3

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid >= 6 ORDER BY rowid DESC, rowid DESC LIMIT 5 OFFSET 2

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE a <= -4 ORDER BY a ASC

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid >= 13 ORDER BY rowid

-- query IITTT nosort
SELECT rowid, a, b, c, d FROM r WHERE d = 'k' AND a < 22 ORDER BY d, a ASC LIMIT 3

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE b = 'z' AND c < 4.38 ORDER BY c ASC LIMIT 5 OFFSET 2

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid <= -9 ORDER BY rowid ASC, rowid DESC LIMIT 3

-- query TTTTT nosort
SELECT rowid, a, b, c, d FROM r WHERE rowid > -10 AND rowid <= -4 ORDER BY rowid LIMIT 5 OFFSET 2

-- query IITTI nosort
SELECT rowid, a, b, c, d FROM r WHERE d <= 1 ORDER BY d

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE d > 1 ORDER BY d LIMIT 5 OFFSET 2

-- query IITRI nosort
SELECT rowid, a, b, c, d FROM r WHERE d = 2 AND a BETWEEN -10 AND 25 ORDER BY a DESC
