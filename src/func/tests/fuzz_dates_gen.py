import random, subprocess, os
random.seed(int(os.environ.get("SEED","3")))
SQ=os.environ.get("SQ","/tmp/ref/sq")
def q(s): return "'" + s.replace("'","''") + "'"
def rdate():
    k=random.randint(0,9)
    Y=random.choice([random.randint(1,9999),random.randint(1900,2100),2000,2024,1970,-random.randint(1,4713)])
    M=random.randint(0,13); D=random.randint(0,32)
    s=("-%04d" % -Y if Y<0 else "%04d" % Y)+"-%02d-%02d" % (M,D)
    if k<3: return q(s)
    t="%02d:%02d" % (random.randint(0,25),random.randint(0,60))
    if random.random()<0.7: t+=":%02d" % random.randint(0,60)
    if random.random()<0.3: t+="."+str(random.randint(0,99999))
    if random.random()<0.2: t+=random.choice(["Z","+01:00","-05:30"," +14:00","z"])
    if k<7: return q(s+random.choice([" ","T"])+t)
    if k==7: return q(t)
    if k==8: return "%.6f" % random.uniform(-10,5400000)
    return str(random.randint(-10**10, 10**11))
def rmod():
    k=random.randint(0,12)
    if k==0: return q("%+d %s" % (random.randint(-500,500), random.choice(["days","day","hours","minutes","seconds","months","years","month","year","hour"])))
    if k==1: return q("%+.3f %s" % (random.uniform(-50,50), random.choice(["days","hours","minutes","seconds","months","years"])))
    if k==2: return q(random.choice(["start of month","start of year","start of day","end of month","end of year","end of day"]))
    if k==3: return q("weekday %d" % random.randint(-7,7))
    if k==4: return q(random.choice(["unixepoch","auto","julianday","subsec","floor","ceiling","utc","localtime"]))
    if k==5: return q("%s%02d:%02d" % (random.choice("+-"), random.randint(0,30), random.randint(0,59)))
    if k==6: return q("%s%04d-%02d-%02d" % (random.choice("+-"), random.randint(0,20), random.randint(0,12), random.randint(0,31)))
    if k==7: return q("%s%04d-%02d-%02d %02d:%02d" % (random.choice("+-"), random.randint(0,3), random.randint(0,11), random.randint(0,30), random.randint(0,23), random.randint(0,59)))
    return q("%+d days" % random.randint(-40000,40000))
exprs=[]
fmts=["%Y-%m-%d %H:%M:%f","%j %U %W %V %G %g %w %u","%s %J","%e %k %l %I %p","%F %T %R"]
for i in range(6000):
    f=random.choice(["date","time","datetime","julianday","unixepoch","strftime","timediff"])
    if f=="timediff":
        exprs.append("timediff(%s, %s)" % (rdate(), rdate())); continue
    args=[rdate()]+[rmod() for _ in range(random.randint(0,3))]
    if f=="strftime": args=[q(random.choice(fmts))]+args
    exprs.append("%s(%s)" % (f, ", ".join(args)))
out=[]
for i in range(0,len(exprs),400):
    chunk=exprs[i:i+400]
    r=subprocess.run([SQ]+["SELECT "+e for e in chunk],capture_output=True,env={**os.environ,"HEXOUT":"1","TZ":"UTC"}).stdout.decode("latin-1").strip("\n").split("\n")
    assert len(r)==len(chunk)
    out += [e+"\t"+l for e,l in zip(chunk,r)]
open(os.environ.get("OUT","dates.tsv"),"w").write("\n".join(out)+"\n")
print(len(out), sum(1 for l in out if not l.endswith("null|")))
