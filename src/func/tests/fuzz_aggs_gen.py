import random, subprocess, os
random.seed(int(os.environ.get("SEED","5")))
SQ=os.environ.get("SQ","/tmp/ref/sq")
def rv():
    k=random.randint(0,11)
    if k==0: return "NULL"
    if k==1: return str(random.randint(-10**18,10**18))
    if k==2: return random.choice(["9223372036854775807","-9223372036854775808","4503599627370496","-4503599627370497"])
    if k==3: return "%.17g" % random.uniform(-1e6,1e6)
    if k==4: return "%.3g" % (random.random()*10**random.randint(-300,300))
    if k==5: return "'%d'" % random.randint(-100,100)
    if k==6: return random.choice(["'abc'","'1.5'","x'31'","''","' 3 '"])
    if k==7: return random.choice(["1e308","-1e308","0.1","0.2","0.3"])
    return str(random.randint(-1000,1000))
lines=[]
cases=[]
for i in range(3000):
    agg=random.choice(["sum(a)","avg(a)","total(a)","min(a)","max(a)","count(a)","count(*)","group_concat(a)","group_concat(a, b)"])
    n=random.randint(0,8)
    rows=[[rv(), random.choice(["'-'","NULL","','","1"])] for _ in range(n)]
    if n:
        vals=", ".join("(%s, %s)" % (r[0], r[1]) for r in rows)
        sql="WITH t(a, b) AS (VALUES %s) SELECT %s FROM t" % (vals, agg)
    else:
        sql="WITH t(a, b) AS (SELECT 1, 2 WHERE 0) SELECT %s FROM t" % agg
    cases.append((agg, rows, sql))
out=[]
for i in range(0,len(cases),300):
    chunk=cases[i:i+300]
    r=subprocess.run([SQ]+[c[2] for c in chunk],capture_output=True,env={**os.environ,"HEXOUT":"1"}).stdout.decode("latin-1").strip("\n").split("\n")
    assert len(r)==len(chunk),(len(r),len(chunk))
    for (agg,rows,_),l in zip(chunk,r):
        out.append(agg+"\t"+";".join(a+"~"+b for a,b in rows)+"\t"+l)
open(os.environ.get("OUT","aggs.tsv"),"w").write("\n".join(out)+"\n")
print(len(out))
