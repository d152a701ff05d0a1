import random, subprocess, os
random.seed(int(os.environ.get("SEED","6")))
SQ=os.environ.get("SQ","/tmp/ref/sq")
def rv():
    k=random.randint(0,9)
    if k==0: return "NULL"
    if k==1: return str(random.randint(-10**19,10**19))
    if k==2: return random.choice(["9223372036854775807","-9223372036854775808","9007199254740993","9007199254740992"])
    if k==3: return "%.17g" % random.choice([random.uniform(-1e19,1e19), 9.2233720368547758e18, -9.2233720368547758e18, 9007199254740992.0, 0.5, -0.0])
    if k==4: return "'%s'" % random.choice(["abc","ABC","abc ","a","","1","01","1.0"," 1","1e2","0x10","9223372036854775808","é","É","-5"," 12 ","1.5e3x","12abc"])
    if k==5: return "x'%s'" % random.choice(["","00","3132","41","ff"])
    return str(random.choice([random.randint(-100,100), random.uniform(-100,100)]))
decls=["INTEGER","NUMERIC","REAL","TEXT","BLOB","","VARCHAR","FLOAT","BOOL","CHARINT"]
out=[]
cmps=[]
for i in range(3000):
    a,b,c=rv(),rv(),random.choice(["BINARY","NOCASE","RTRIM"])
    cmps.append((a,b,c,"WITH t(x, y) AS MATERIALIZED (SELECT %s, %s) SELECT (x < y COLLATE %s) - (x > y COLLATE %s) FROM t" % (a,b,c,c)))
for i in range(0,len(cmps),400):
    ch=cmps[i:i+400]
    r=subprocess.run([SQ]+[x[3] for x in ch],capture_output=True,env={**os.environ,"HEXOUT":"1"}).stdout.decode("latin-1").strip("\n").split("\n")
    assert len(r)==len(ch)
    out += ["cmp\t%s\t%s\t%s\t%s" % (a,b,c,l) for (a,b,c,_),l in zip(ch,r)]
affs=[]
for i in range(2000):
    d,v=random.choice(decls),rv()
    affs.append((d,v))
for i in range(0,len(affs),200):
    ch=affs[i:i+200]
    args=[]
    for k,(d,v) in enumerate(ch):
        args += ["CREATE TABLE t%d(c %s)" % (k,d), "INSERT INTO t%d VALUES(%s)" % (k,v), "SELECT c FROM t%d" % k]
    r=subprocess.run([SQ]+args,capture_output=True,env={**os.environ,"HEXOUT":"1"}).stdout.decode("latin-1").strip("\n").split("\n")
    assert len(r)==len(ch),(len(r),len(ch))
    out += ["aff\t%s\t%s\t-\t%s" % (d,v,l) for (d,v),l in zip(ch,r)]
open(os.environ.get("OUT","cmpaff.tsv"),"w").write("\n".join(out)+"\n")
print(len(out))
