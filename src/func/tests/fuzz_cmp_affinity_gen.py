import random, subprocess, os
random.seed(int(os.environ.get("SEED","7")))
SQ=os.environ.get("SQ","/tmp/ref/sq")
def rv():
    return random.choice(["NULL","1","'1'","'1.0'","1.0","'01'","' 1 '","'abc'","x'31'","10","'10'","'9'","9","2.5","'2.5'","'1e1'","-1","'-1'","''","'a'","9223372036854775807","'9223372036854775808'","0.1","'0.1'"])
decls=["INTEGER","NUMERIC","REAL","TEXT","BLOB",""]
out=[]
jobs=[]
for i in range(2000):
    dx,dy=random.choice(decls),random.choice(decls)
    vx,vy=rv(),rv()
    rhs=random.choice(["col","lit"])
    jobs.append((dx,dy,vx,vy,rhs))
for i in range(0,len(jobs),150):
    ch=jobs[i:i+150]
    args=[]
    for k,(dx,dy,vx,vy,rhs) in enumerate(ch):
        args += ["CREATE TABLE t%d(x %s, y %s)" % (k,dx,dy), "INSERT INTO t%d VALUES(%s, %s)" % (k,vx,vy)]
        if rhs=="col":
            args.append("SELECT (x < y) - (x > y) FROM t%d" % k)
        else:
            args.append("SELECT (x < %s) - (x > %s) FROM t%d" % (vy,vy,k))
    r=subprocess.run([SQ]+args,capture_output=True,env={**os.environ,"HEXOUT":"1"}).stdout.decode("latin-1").strip("\n").split("\n")
    assert len(r)==len(ch),(len(r),len(ch))
    out += ["\t".join([dx,dy,vx,vy,rhs,l]) for (dx,dy,vx,vy,rhs),l in zip(ch,r)]
open(os.environ.get("OUT","cmpaff2.tsv"),"w").write("\n".join(out)+"\n")
print(len(out))
